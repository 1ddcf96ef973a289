import { App } from 'cdk8s';
import { buildObservedShop } from './platform';

const app = new App();
buildObservedShop(app);
app.synth();

import { App } from 'cdk8s';
import { buildShop } from './platform';

const app = new App();
buildShop(app);
app.synth();

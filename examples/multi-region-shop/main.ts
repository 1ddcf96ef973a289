import { App } from 'cdk8s';
import { buildShop } from './platform';

const app = new App({ outdir: process.env.FLEETPLANE_OUTDIR ?? 'dist' });
buildShop(app);
app.synth();

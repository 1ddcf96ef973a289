import { FleetApp } from 'fleetplane';
import { buildTracedShop } from './platform';

const app = new FleetApp();
buildTracedShop(app);
app.synth();

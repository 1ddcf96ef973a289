import { FleetApp } from 'fleetplane';
import { buildShop } from './platform';

const app = new FleetApp();
buildShop(app);
app.synth();

import { FleetApp } from 'fleetplane';
import { buildObservedShop } from './platform';

const app = new FleetApp();
buildObservedShop(app);
app.synth();

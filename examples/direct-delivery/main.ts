// The same shop delivered without Karmada: one output per member cluster, replicas split exactly as
// Karmada's static-weight division would, overrides applied in place.
import { DeliveryMode, FleetApp } from 'fleetplane';
import { buildShop } from '../multi-region-shop/platform';

const app = new FleetApp();
buildShop(app, DeliveryMode.DIRECT);
app.synth();

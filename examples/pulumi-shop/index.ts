// `pulumi up` entry point. The platform definition is the very module the cdk8s entry point
// (examples/multi-region-shop/main.ts) synthesizes: one definition, two workflows.
//
// Connections come from Pulumi config, per apply target:
//   pulumi config set --secret fleetplane:kubeconfig-control-plane "$(cat karmada-apiserver.kubeconfig)"
//   pulumi config set fleetplane:delivery direct   # then: fleetplane:context-cluster-bj-1, ... (default: the cluster name)
import * as pulumi from '@pulumi/pulumi';
import { App } from 'cdk8s';
import { DeliveryMode } from 'fleetplane';
import { PlatformStack } from 'fleetplane/pulumi';
import { buildShop } from '../multi-region-shop/platform';

const delivery = new pulumi.Config('fleetplane').get('delivery') === 'direct' ? DeliveryMode.DIRECT : DeliveryMode.KARMADA;
const app = new App();
buildShop(app, delivery);

const stack = new PlatformStack('shop', { app });

/** Per target: object count, kinds, and the Services it exposes. */
export const summary = stack.summary;

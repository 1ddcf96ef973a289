/** NetworkPolicy peers the network policies share: a namespace by its name label, an address block. */
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s';
import { IpBlock } from '../../core/cidr';

/** Selects a namespace by the `kubernetes.io/metadata.name` label the API server sets on every namespace. */
export function namespaceSelector(namespace: string): k8s.LabelSelector {
  return { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
}

/** An ipBlock peer, with its `except` ranges when it has any. */
export function ipBlockPeer(block: IpBlock): k8s.NetworkPolicyPeer {
  return { ipBlock: { cidr: block.cidr, ...(block.except ? { except: [...block.except] } : {}) } };
}

/**
 * Typed per-cluster overrides, compiled to compact Karmada OverridePolicy rules (karmada mode) or applied
 * in place at synthesis (direct mode). Both paths share one model, so they cannot drift apart.
 */
import { ClusterSelector } from './cluster';
import { ResourceRequirements } from './workload';

/** Changes to the image of the main container; unset parts stay as they are. */
export interface ImageOverride {
  /**
   * New registry host.
   * @default - unchanged
   */
  readonly registry?: string;
  /**
   * New repository.
   * @default - unchanged
   */
  readonly repository?: string;
  /**
   * New tag.
   * @default - unchanged
   */
  readonly tag?: string;
}

/** A raw JSON-patch operation (Karmada `plaintext` overrider): the escape hatch for anything untyped. */
export interface JsonPatchOperation {
  /** add, remove or replace. */
  readonly op: 'add' | 'remove' | 'replace';
  /** RFC 6901 pointer into the object, e.g. `/spec/template/spec/nodeSelector`. */
  readonly path: string;
  /**
   * Value for add and replace.
   * @default - none (remove)
   */
  readonly value?: unknown;
}

/** What to change for some clusters. */
export interface OverrideValues {
  /**
   * Image registry, repository or tag of the main container.
   * @default - unchanged
   */
  readonly image?: ImageOverride;
  /**
   * Replica count in these clusters (not with autoscaling, which owns the count).
   * @default - unchanged
   */
  readonly replicas?: number;
  /**
   * Environment variables of the main container to add or replace; the others are kept.
   * @default - unchanged
   */
  readonly env?: Record<string, string>;
  /**
   * Resources of the main container.
   * @default - unchanged
   */
  readonly resources?: ResourceRequirements;
  /**
   * Command of the main container (replaces it).
   * @default - unchanged
   */
  readonly command?: string[];
  /**
   * Arguments of the main container (replace them).
   * @default - unchanged
   */
  readonly args?: string[];
  /**
   * Labels to add to the workload.
   * @default - unchanged
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations to add to the workload.
   * @default - unchanged
   */
  readonly annotations?: Record<string, string>;
  /**
   * Raw JSON-patch operations on the workload, applied last.
   * @default - none
   */
  readonly jsonPatch?: JsonPatchOperation[];
}

/** Overrides for the clusters a selector matches. */
export interface ClusterOverride extends OverrideValues {
  /** The clusters, e.g. `{ names: ['sh-1'] }` or `{ labels: { tier: 'edge' } }`. */
  readonly clusters: ClusterSelector;
}

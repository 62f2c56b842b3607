import { IConstruct } from 'constructs';
import type { SecretRef } from '../common/refs';
import type { DaprSidecarOptions } from '../dapr/usage';
import type { FunctionGateway, RouteOptions } from '../routing/gateway';
import type { HooksOptions } from '../serving/hooks';
import type { FunctionResources } from '../serving/pod';
import type { TracingOptions } from '../serving/tracing';
import type { Builder } from './builder';
import type { FunctionPolicy } from './policy';

/**
 * Defaults for every function below a scope (OpenFunction's `openfunction-config` ConfigMap, and
 * what a platform team's template decides). A function's own props win, field by field.
 */
export interface FunctionDefaultsProps {
  /**
   * Where built images go: a function without `image` pushes to `<imageRepository>/<name>:<version>`.
   * @default - functions give their image
   */
  readonly imageRepository?: string;
  /** Push and pull secret for function images. @default - none */
  readonly imageCredentials?: SecretRef;
  /** Builder of functions that build with buildpacks and name neither a builder nor a language. @default - Builder.GO */
  readonly builder?: Builder;
  /**
   * Builders by language (`go`, `nodejs`, ...), for functions that give `language`; a language not
   * listed gets OpenFunction's builder for it.
   * @default {}
   */
  readonly builders?: Record<string, Builder>;
  /** Route sync functions through this gateway unless they give a route. @default - no route */
  readonly gateway?: FunctionGateway;
  /** Route options with `gateway`. @default {} */
  readonly routeOptions?: RouteOptions;
  /** Resources of function containers. @default - the serving defaults */
  readonly resources?: FunctionResources;
  /** Labels on every object of a function. @default {} */
  readonly labels?: Record<string, string>;
  /** Annotations on function pods. @default {} */
  readonly podAnnotations?: Record<string, string>;
  /** Fields merged into every function container, e.g. `{ securityContext: { runAsUser: 10001 } }`. @default {} */
  readonly container?: Record<string, unknown>;
  /** The Dapr sidecar of functions that use Dapr. @default - Dapr's defaults */
  readonly dapr?: DaprSidecarOptions;
  /** Tracing every function gets unless it says otherwise. @default - none */
  readonly tracing?: TracingOptions;
  /** Hooks every function gets (its own policy decides how they combine). @default - none */
  readonly hooks?: HooksOptions;
  /** Rules every function must follow; violations fail the synth with their codes. @default [] */
  readonly policies?: FunctionPolicy[];
}

const defaults = new WeakMap<IConstruct, FunctionDefaultsProps>();

/**
 * Defaults for every function below a scope (an App, a Chart or any construct). Nested scopes
 * refine outer ones field by field (policies add up); a function's props override them.
 */
export class FunctionDefaults {
  /** Sets the defaults for functions below `scope`. */
  public static set(scope: IConstruct, props: FunctionDefaultsProps): void {
    defaults.set(scope, props);
  }

  /** The defaults that apply at `scope`: outer scopes first, inner ones winning. */
  public static of(scope: IConstruct): FunctionDefaultsProps | undefined {
    let merged: FunctionDefaultsProps | undefined;
    for (const s of scope.node.scopes) {
      const found = defaults.get(s);
      if (!found) continue;
      merged = merged
        ? { ...merged, ...found, labels: { ...merged.labels, ...found.labels }, podAnnotations: { ...merged.podAnnotations, ...found.podAnnotations }, policies: [...merged.policies ?? [], ...found.policies ?? []] }
        : found;
    }
    return merged;
  }
}

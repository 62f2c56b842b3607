import { PropProblem } from '../common/errors';
import { parseImageReference } from '../common/image';
import type { ServingEngine } from '../serving/serving';
import type { FunctionResources } from '../serving/pod';

/** What a policy sees of a function: its effective values, after defaults. */
export interface FunctionFacts {
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  readonly servingEngine: ServingEngine;
  readonly resources?: FunctionResources;
  readonly usesDapr: boolean;
  readonly labels: Record<string, string>;
}

/** A rule every function below a scope must follow (set with `FunctionDefaults`). */
export abstract class FunctionPolicy {
  /** Images only from these registries or repository prefixes, e.g. `registry.acme.com/`. */
  public static allowedRegistries(prefixes: string[]): FunctionPolicy {
    return FunctionPolicy.of('OFN_POLICY_REGISTRY', (fn) => {
      const ref = parseImageReference(fn.image);
      const full = ref && !ref.registry ? `docker.io/${fn.image}` : fn.image;
      if (prefixes.some((p) => full.startsWith(p))) return undefined;
      return { prop: 'image', value: fn.image, problem: `is not from an allowed registry (${prefixes.join(', ')})`, fix: 'push the image to an allowed registry, or ask the platform team to allow this one' };
    });
  }

  /** Every function container sets CPU and memory limits. */
  public static requireResourceLimits(): FunctionPolicy {
    return FunctionPolicy.of('OFN_POLICY_LIMITS', (fn) => {
      if (fn.servingEngine === 'none' || (fn.resources?.cpuLimit && fn.resources?.memoryLimit)) return undefined;
      return { prop: 'serving.resources', value: fn.resources ?? {}, problem: 'must set cpuLimit and memoryLimit (platform policy)', fix: "give resources: { cpuLimit: '500m', memoryLimit: '512Mi' } on the serving or in FunctionDefaults" };
    });
  }

  /** No function below the scope uses Dapr. */
  public static noDapr(): FunctionPolicy {
    return FunctionPolicy.of('OFN_POLICY_DAPR', (fn) => (fn.usesDapr
      ? { prop: 'serving', value: fn.servingEngine, problem: 'uses Dapr (triggers, inputs, outputs or states), which this scope does not allow', fix: 'call other functions over HTTP, or move the function to a scope that allows Dapr' }
      : undefined));
  }

  /** A policy of your own: return what is wrong, or undefined. */
  public static of(code: string, check: (fn: FunctionFacts) => Omit<PropProblem, 'code'> | undefined): FunctionPolicy {
    return new (class extends FunctionPolicy {
      public check(fn: FunctionFacts): PropProblem[] {
        const p = check(fn);
        return p ? [{ code, ...p }] : [];
      }
    })();
  }

  /** The problems of `fn` under this policy. */
  public abstract check(fn: FunctionFacts): PropProblem[];
}

import { IConstruct } from 'constructs';
import { TracingOptions } from './tracing';

/** How a function's hooks combine with the app-wide ones. */
export enum HookPolicy {
  /** App pre-hooks first, then the function's; the function's post-hooks, then the app's. */
  APPEND = 'Append',
  /** Only the function's hooks. */
  OVERRIDE = 'Override',
}

/** functions-framework hooks (plugins) run before and after each call. */
export interface HooksOptions {
  /** @default [] */
  readonly pre?: string[];
  /** @default [] */
  readonly post?: string[];
  /** @default HookPolicy.APPEND */
  readonly policy?: HookPolicy;
}

/** The hooks a function gets (OpenFunction's merge of global and function hooks). */
export function effectiveHooks(fn: HooksOptions | undefined, app: HooksOptions | undefined): { pre: string[]; post: string[] } {
  if ((fn?.policy ?? HookPolicy.APPEND) === HookPolicy.OVERRIDE) return { pre: [...fn?.pre ?? []], post: [...fn?.post ?? []] };
  return { pre: [...app?.pre ?? [], ...fn?.pre ?? []], post: [...fn?.post ?? [], ...app?.post ?? []] };
}

/** App-wide defaults for functions (OpenFunction's `openfunction-config` ConfigMap, as props). */
export interface FunctionDefaultsProps {
  /** Tracing every function gets unless it says otherwise. @default - none */
  readonly tracing?: TracingOptions;
  /** Hooks every function gets (policy is ignored here). @default - none */
  readonly hooks?: HooksOptions;
}

const defaults = new WeakMap<IConstruct, FunctionDefaultsProps>();

/**
 * Defaults for every function below a scope (an App, a Chart or any construct): the nearest
 * scope's defaults apply. Functions override them field by field.
 */
export class FunctionDefaults {
  /** Sets the defaults for functions below `scope`. */
  public static set(scope: IConstruct, props: FunctionDefaultsProps): void {
    defaults.set(scope, props);
  }

  /** The defaults that apply at `scope`: those of the nearest scope that has some. */
  public static of(scope: IConstruct): FunctionDefaultsProps | undefined {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = defaults.get(scopes[i]);
      if (found) return found;
    }
    return undefined;
  }
}

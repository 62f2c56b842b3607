
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

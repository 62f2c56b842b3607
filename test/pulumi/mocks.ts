import * as pulumi from '@pulumi/pulumi';

/**
 * Puts Pulumi's mocks in place (call it before loading the module under test) and returns the
 * list every registered resource is appended to: the resources' inputs are their state.
 */
export function installMocks(project: string, stack: string): pulumi.runtime.MockResourceArgs[] {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push(args);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, project, stack, false);
  return registered;
}

/** The value of an output, once resolved. */
export const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

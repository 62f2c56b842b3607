import { IConstruct } from 'constructs';

/**
 * Constructs of one kind in an app, by key: how constructs find each other (a strategy by kind
 * and name, a component or event source by namespace and name) and how duplicates are caught.
 * Each app (construct tree root) has its own entries.
 */
export class AppRegistry<T> {
  private readonly byRoot = new WeakMap<IConstruct, Map<string, T>>();

  /** What is registered under `key` in the app of `scope`. */
  public get(scope: IConstruct, key: string): T | undefined {
    return this.byRoot.get(scope.node.root)?.get(key);
  }

  /** Registers `value` under `key` in the app of `scope`. */
  public set(scope: IConstruct, key: string, value: T): void {
    let entries = this.byRoot.get(scope.node.root);
    if (!entries) this.byRoot.set(scope.node.root, entries = new Map());
    entries.set(key, value);
  }
}

/** Helpers to walk the Model. */
import type { ContextModel, FieldModel, Model } from "../resolve/model.js";

/** Every declaration's field lists, with a label for messages. */
export function* fieldLists(c: ContextModel): Generator<{ owner: string; fields: readonly FieldModel[] }> {
  for (const t of c.types) yield { owner: t.name, fields: t.fields };
  for (const m of c.commands) yield { owner: m.name, fields: m.fields };
  for (const e of c.events) for (const v of e.versions) yield { owner: `${e.name} v${v.version}`, fields: v.fields };
  for (const a of c.aggregates) {
    yield { owner: a.name, fields: a.state };
    for (const v of a.variants ?? []) yield { owner: `${a.name} ${v.name}`, fields: v.fields };
  }
  for (const p of c.projections) yield { owner: p.name, fields: p.key ? [p.key, ...p.fields] : p.fields };
}

export function allHandlers(model: Model) {
  return model.contexts.flatMap((c) => [...c.aggregates, ...c.services].flatMap((o) => o.handlers));
}

/**
 * The strongly connected components of a graph that can close a cycle: those of two or more
 * nodes, and single nodes with an edge to themselves. Each is listed in the order of `nodes`;
 * the components in the order of their first node. Tarjan's algorithm with an explicit stack,
 * so a chain of any length cannot exhaust the call stack.
 */
export function cyclicComponents<T>(nodes: readonly T[], next: (node: T) => readonly T[]): T[][] {
  const order = new Map(nodes.map((n, i) => [n, i]));
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const found: T[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames: { node: T; edges: readonly T[]; at: number }[] = [];
    const enter = (node: T): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      frames.push({ node, edges: next(node), at: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      if (frame.at < frame.edges.length) {
        const to = frame.edges[frame.at++] as T;
        if (!order.has(to)) continue;
        if (!index.has(to)) enter(to);
        else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(to) as number));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: T[] = [];
      let member: T;
      do {
        member = stack.pop() as T;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || next(frame.node).includes(frame.node)) found.push(component.sort((a, b) => (order.get(a) as number) - (order.get(b) as number)));
    }
  }
  return found.sort((a, b) => (order.get(a[0] as T) as number) - (order.get(b[0] as T) as number));
}

/**
 * A shortest cycle through `start` within `members` (breadth first): `[start, …, last]`, where
 * `last` has an edge back to `start`. Undefined when there is none.
 */
export function shortestCycle<T>(start: T, members: ReadonlySet<T>, next: (node: T) => readonly T[]): T[] | undefined {
  const parent = new Map<T, T | undefined>([[start, undefined]]);
  const queue: T[] = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as T;
    for (const to of next(node)) {
      if (to === start) {
        const path: T[] = [];
        for (let at: T | undefined = node; at !== undefined; at = parent.get(at)) path.push(at);
        return path.reverse();
      }
      if (!members.has(to) || parent.has(to)) continue;
      parent.set(to, node);
      queue.push(to);
    }
  }
  return undefined;
}

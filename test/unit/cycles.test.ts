// ARCHITECTURE.md's invariant "no import cycles": the runtime import graph of the compiled server
// (what `require` loads; type-only imports are erased) has no cycle. A cycle makes load order
// decide which module sees the other half-initialised.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './helpers';

const compiled = path.join(repoRoot, 'out', 'server', 'src');

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) {
        const deps: string[] = [];
        for (const match of fs.readFileSync(full, 'utf8').matchAll(/require\("(\.[^"]+)"\)/g)) {
          const target = path.resolve(dir, match[1]);
          if (fs.existsSync(target + '.js')) deps.push(target + '.js');
          else if (fs.existsSync(path.join(target, 'index.js'))) deps.push(path.join(target, 'index.js'));
        }
        graph.set(full, deps);
      }
    }
  };
  walk(compiled);
  return graph;
}

/** Strongly connected components of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(path.relative(compiled, w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('the server, engine, hosts and CLI import one another without a cycle', () => {
  const graph = importGraph();
  assert.ok(graph.size > 100, `read the compiled modules under ${compiled}`);
  assert.deepEqual(cycles(graph), []);
});

test('the cycle finder finds a cycle', () => {
  const at = (name: string) => path.join(compiled, name);
  const graph = new Map([[at('a.js'), [at('b.js')]], [at('b.js'), [at('c.js')]], [at('c.js'), [at('a.js')]], [at('d.js'), [at('a.js')]]]);
  assert.deepEqual(cycles(graph), [['a.js', 'b.js', 'c.js']]);
});

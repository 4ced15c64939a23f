// Where the stack graph's boxes and arrows go: one column per dependency level, dependencies on the
// left, each arrow from a dependency to the agent that needs it. Pure: numbers for the SVG.
import type { DependencyCondition } from '../../../shared/agent.js';
import { graphLevels, type GraphNode, type StackGraph } from '../../store/stacks.js';

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 48;
const COLUMN_GAP = 90;
const ROW_GAP = 18;
const PAD = 8;
/** How far left of the dependent an arrow's condition is written. */
const LABEL_OFFSET = 36;

export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  level: number;
}

export interface PlacedEdge {
  /** The dependent. */
  from: string;
  /** The dependency. */
  to: string;
  condition: DependencyCondition;
  met: boolean;
  /** An SVG path from the dependency's right side to the dependent's left side. */
  path: string;
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** The positions of every node and edge of `graph`. */
export function layoutGraph(graph: StackGraph): GraphLayout {
  const levels = graphLevels(graph);
  const tallest = Math.max(1, ...levels.map((l) => l.length));
  const height = PAD * 2 + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP;
  const width = PAD * 2 + Math.max(1, levels.length) * NODE_WIDTH + Math.max(0, levels.length - 1) * COLUMN_GAP;
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const placed = new Map<string, PlacedNode>();
  levels.forEach((names, level) => {
    // each column is centred vertically
    const columnHeight = names.length * NODE_HEIGHT + (names.length - 1) * ROW_GAP;
    const top = (height - columnHeight) / 2;
    names.forEach((name, row) => {
      const node = byName.get(name);
      if (!node) return;
      placed.set(name, { ...node, level, x: PAD + level * (NODE_WIDTH + COLUMN_GAP), y: top + row * (NODE_HEIGHT + ROW_GAP) });
    });
  });
  // each side spreads its arrows over its height, ordered by where the other end sits, so they neither cross nor meet in one point
  const drawn = graph.edges.filter((e) => placed.has(e.from) && placed.has(e.to));
  const centre = (name: string) => (placed.get(name)?.y ?? 0) + NODE_HEIGHT / 2;
  const portY = (name: string, side: 'in' | 'out', edge: (typeof drawn)[number]): number => {
    const node = placed.get(name) as PlacedNode;
    const mine = drawn.filter((e) => (side === 'in' ? e.from === name : e.to === name)).sort((a, b) => (side === 'in' ? centre(a.to) - centre(b.to) : centre(a.from) - centre(b.from)));
    return node.y + (NODE_HEIGHT * (mine.indexOf(edge) + 1)) / (mine.length + 1);
  };
  const edges: PlacedEdge[] = drawn.map((e) => {
    const dependent = placed.get(e.from) as PlacedNode;
    const dependency = placed.get(e.to) as PlacedNode;
    const x1 = dependency.x + NODE_WIDTH;
    const y1 = portY(e.to, 'out', e);
    const x2 = dependent.x;
    const y2 = portY(e.from, 'in', e);
    const bend = Math.max(30, Math.abs(x2 - x1) / 2);
    return {
      from: e.from,
      to: e.to,
      condition: e.condition,
      met: e.met,
      path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`,
      // near the arrow's end, in the gap before the dependent, where no box covers it
      labelX: x2 - LABEL_OFFSET,
      labelY: y2,
    };
  });
  return { width, height, nodes: [...placed.values()], edges };
}

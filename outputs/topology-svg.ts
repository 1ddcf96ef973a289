/**
 * Draws a topology diagram as one self-contained SVG: laid out by ELK's layered algorithm (elkjs, pure
 * JavaScript, no graphviz), styled inline (no external fonts, scripts or images), with a title and a legend.
 * Text sizes are estimated from character counts of a sans-serif font, with margins, so labels fit in any
 * browser.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { PlatformTopology } from './topology-model';
import { ClusterGrouping, Diagram, DiagramEdge, DiagramEdgeKind, DiagramNode, EDGE_MEANING, topologyDiagram } from './topology-diagram';

const FONT = 'Helvetica, Arial, sans-serif';
const TITLE_SIZE = 13;
const LINE_SIZE = 11;
const LINE_HEIGHT = 15;
const PAD = 10;

/** Fill and stroke per tenant (colors from a palette readable on white and in grayscale print). */
const TENANT_COLORS: ReadonlyArray<readonly [string, string]> = [
  ['#dbeafe', '#2563eb'], ['#dcfce7', '#16a34a'], ['#fef3c7', '#d97706'], ['#fce7f3', '#db2777'],
  ['#ede9fe', '#7c3aed'], ['#cffafe', '#0891b2'], ['#fee2e2', '#dc2626'], ['#f3f4f6', '#4b5563'],
];

/** Stroke, dash pattern and width of each edge kind. */
const EDGE_STYLE: Readonly<Record<DiagramEdgeKind, { color: string; dash?: string; width: number }>> = {
  placement: { color: '#9ca3af', width: 1.2 },
  allow: { color: '#16a34a', width: 2 },
  calls: { color: '#2563eb', dash: '6 4', width: 1.5 },
  failover: { color: '#ea580c', dash: '10 4', width: 2.5 },
  xcs: { color: '#7c3aed', dash: '2 3', width: 2 },
  federate: { color: '#0d9488', dash: '8 3 2 3', width: 1.5 },
};

/** Box fill and stroke per node kind (apps take their tenant's colors). */
const NODE_STYLE: Readonly<Record<DiagramNode['kind'], { fill: string; stroke: string }>> = {
  platform: { fill: '#ffffff', stroke: '#111827' },
  tenant: { fill: '#ffffff', stroke: '#6b7280' },
  group: { fill: '#f9fafb', stroke: '#9ca3af' },
  cluster: { fill: '#ffffff', stroke: '#374151' },
  app: { fill: '#dbeafe', stroke: '#2563eb' },
  ingress: { fill: '#ecfccb', stroke: '#4d7c0f' },
  external: { fill: '#f5f5f4', stroke: '#78716c' },
  monitor: { fill: '#ccfbf1', stroke: '#0d9488' },
};

/** Approximate width of a text in pixels (average sans-serif glyph ≈ 0.6 em, bold a little wider). */
function textWidth(text: string, size: number, bold = false): number {
  return Math.ceil(text.length * size * (bold ? 0.64 : 0.58));
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Height taken by a box's title and lines. */
function headerHeight(n: DiagramNode): number {
  return PAD + TITLE_SIZE + 4 + n.lines.length * LINE_HEIGHT;
}

function headerWidth(n: DiagramNode): number {
  return Math.max(textWidth(n.title, TITLE_SIZE, true), ...n.lines.map((l) => textWidth(l, LINE_SIZE))) + 2 * PAD;
}

function elkNode(n: DiagramNode): ElkNode {
  if (n.children.length === 0) return { id: n.id, width: Math.max(headerWidth(n), 90), height: headerHeight(n) + PAD - 2 };
  const top = headerHeight(n) + 6;
  return {
    id: n.id,
    layoutOptions: {
      'elk.padding': `[top=${top},left=14,bottom=14,right=14]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${headerWidth(n) + 8},${top + 20})`,
    },
    children: n.children.map(elkNode),
  };
}

function elkEdge(e: DiagramEdge): ElkExtendedEdge {
  const labels = e.label ? [{ text: e.label, width: textWidth(e.label, LINE_SIZE) + 8, height: LINE_HEIGHT + 2 }] : undefined;
  return { id: e.id, sources: [e.from], targets: [e.to], labels };
}

/** Lays the diagram out with ELK (absolute coordinates). */
async function layout(d: Diagram): Promise<ElkNode> {
  // Loaded only when a picture is drawn: elkjs is large.
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
      'elk.spacing.nodeNode': '24',
      'elk.spacing.edgeNode': '14',
      'elk.spacing.edgeEdge': '8',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.inline': 'false',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: d.nodes.map(elkNode),
    edges: d.edges.map(elkEdge),
  };
  return new ELK().layout(graph);
}

/** Lays out and draws a topology diagram as a self-contained SVG document. */
export async function renderDiagramSvg(d: Diagram): Promise<string> {
  const laid = await layout(d);
  const boxes = new Map<string, ElkNode>();
  const collect = (n: ElkNode) => {
    boxes.set(n.id, n);
    (n.children ?? []).forEach(collect);
  };
  (laid.children ?? []).forEach(collect);
  const top = 44;
  const legend = legendSvg(d);
  const width = Math.max(laid.width ?? 0, legend.width + 32, textWidth(d.title, 16, true) + 32);
  const height = top + (laid.height ?? 0) + legend.height + 24;
  const body: string[] = [];
  const drawNode = (n: DiagramNode) => {
    body.push(nodeSvg(n, boxes.get(n.id)!));
    n.children.forEach(drawNode);
  };
  d.nodes.forEach(drawNode);
  const edges = (laid.edges ?? []).map((e) => edgeSvg(e as ElkExtendedEdge, d.edges.find((x) => x.id === e.id)!));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(d.title)}</title>`,
    `<defs>${Object.entries(EDGE_STYLE).map(([k, s]) => markers(k, s.color)).join('')}</defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="28" font-size="16" font-weight="bold" fill="#111827">${escapeXml(d.title)}</text>`,
    `<g transform="translate(0,${top})">`,
    `<g class="nodes">${body.join('')}</g>`,
    `<g class="edges">${edges.join('')}</g>`,
    '</g>',
    `<g class="legend" transform="translate(16,${top + (laid.height ?? 0) + 8})">${legend.svg}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

function markers(kind: string, color: string): string {
  return `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
}

function nodeSvg(n: DiagramNode, box: ElkNode): string {
  const x = box.x ?? 0;
  const y = box.y ?? 0;
  const w = box.width ?? 0;
  const h = box.height ?? 0;
  const style = NODE_STYLE[n.kind];
  const [fill, stroke] = n.color !== undefined && n.color >= 0 && (n.kind === 'app' || n.kind === 'tenant')
    ? [n.kind === 'app' ? TENANT_COLORS[n.color % TENANT_COLORS.length][0] : '#ffffff', TENANT_COLORS[n.color % TENANT_COLORS.length][1]]
    : [style.fill, style.stroke];
  const dash = n.edge ? ' stroke-dasharray="6 3"' : n.kind === 'tenant' ? ' stroke-dasharray="3 2"' : '';
  const radius = n.kind === 'app' || n.kind === 'monitor' ? 8 : 4;
  const width = n.kind === 'platform' || n.kind === 'cluster' ? 1.6 : 1.2;
  const text = [
    `<text x="${x + PAD}" y="${y + PAD + TITLE_SIZE - 2}" font-size="${TITLE_SIZE}" font-weight="bold" fill="#111827">${escapeXml(n.title)}</text>`,
    ...n.lines.map((l, i) => `<text x="${x + PAD}" y="${y + PAD + TITLE_SIZE + 2 + (i + 1) * LINE_HEIGHT - 3}" font-size="${LINE_SIZE}" fill="#374151">${escapeXml(l)}</text>`),
  ];
  return `<g class="node ${n.kind}" data-id="${escapeXml(n.id)}"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${radius}" fill="${fill}" stroke="${stroke}" stroke-width="${width}"${dash}/>${text.join('')}</g>`;
}

function edgeSvg(e: ElkExtendedEdge, d: DiagramEdge): string {
  const s = EDGE_STYLE[d.kind];
  const paths = (e.sections ?? []).map((sec) => {
    const pts = [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint];
    return `<path d="M${pts.map((p) => `${round(p.x)},${round(p.y)}`).join(' L')}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} marker-end="url(#arrow-${d.kind})"${d.both ? ` marker-start="url(#arrow-${d.kind})"` : ''}/>`;
  });
  const labels = (e.labels ?? []).map((l) => `<rect x="${round(l.x ?? 0)}" y="${round(l.y ?? 0)}" width="${l.width}" height="${l.height}" rx="3" fill="#ffffff" fill-opacity="0.9"/><text x="${round((l.x ?? 0) + 4)}" y="${round((l.y ?? 0) + LINE_HEIGHT - 3)}" font-size="${LINE_SIZE}" fill="${s.color === '#9ca3af' ? '#4b5563' : s.color}">${escapeXml(l.text ?? '')}</text>`);
  return `<g class="edge ${d.kind}">${paths.join('')}${labels.join('')}</g>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The legend: each edge kind with its meaning, each tenant's color, and the edge-cluster mark. */
function legendSvg(d: Diagram): { svg: string; width: number; height: number } {
  const out: string[] = [`<text x="0" y="12" font-size="${TITLE_SIZE}" font-weight="bold" fill="#111827">Legend</text>`];
  let y = 30;
  const used = new Set(d.edges.map((e) => e.kind));
  const kinds = (Object.keys(EDGE_STYLE) as DiagramEdgeKind[]).filter((k) => used.has(k));
  for (const k of kinds) {
    const s = EDGE_STYLE[k];
    out.push(`<path d="M0,${y - 4} L48,${y - 4}" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} marker-end="url(#arrow-${k})"/><text x="60" y="${y}" font-size="${LINE_SIZE}" fill="#374151">${escapeXml(EDGE_MEANING[k])}</text>`);
    y += 18;
  }
  const col = 360;
  let y2 = 30;
  d.tenants.forEach((t, i) => {
    const [fill, stroke] = TENANT_COLORS[i % TENANT_COLORS.length];
    out.push(`<rect x="${col}" y="${y2 - 11}" width="28" height="14" rx="4" fill="${fill}" stroke="${stroke}"/><text x="${col + 38}" y="${y2}" font-size="${LINE_SIZE}" fill="#374151">app of tenant ${escapeXml(t)}</text>`);
    y2 += 18;
  });
  out.push(`<rect x="${col}" y="${y2 - 11}" width="28" height="14" rx="2" fill="#ffffff" stroke="#374151" stroke-dasharray="6 3"/><text x="${col + 38}" y="${y2}" font-size="${LINE_SIZE}" fill="#374151">edge cluster (KubeEdge)</text>`);
  y2 += 18;
  return { svg: out.join(''), width: col + 260, height: Math.max(y, y2) };
}

/** Draws the topology of synthesized platforms (see `buildTopology`) as a self-contained SVG. */
export async function renderTopologySvg(platforms: readonly PlatformTopology[], options: { groupBy?: ClusterGrouping } = {}): Promise<string> {
  return renderDiagramSvg(topologyDiagram(platforms, options.groupBy));
}

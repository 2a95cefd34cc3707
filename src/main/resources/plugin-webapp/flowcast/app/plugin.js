// Flowcast in Camunda Cockpit: why a composed instance was composed this way, every step it ran,
// every switch and its outcome; what ran on a composed definition; decisions, queue and capacity
// on the dashboard. A plain ES module for Cockpit's plugin API (no build step).
//
// It reads Flowcast's REST API with the browser's Cockpit session (no second login), GET only, so
// it shows what the logged-in user may read there. Every string from the API reaches the page as
// a text node or an attribute value set through the DOM, never as HTML.


const COMPOSED_PREFIX = 'flowcast-';
const QUEUE_KEY = 'flowcast-queue';
const ALTERNATIVES_SHOWN = 5;

/** The Flowcast API beside the webapp: {context}/camunda → {context}/flowcast/api. */
function apiBase() {
  const base = document.querySelector('base');
  const appRoot = (base && base.getAttribute('app-root')) || '/camunda';
  const root = new URL(appRoot.replace(/\/$/, '') + '/', window.location.origin);
  return new URL('../flowcast/api', root).pathname;
}

async function read(path) {
  const response = await fetch(apiBase() + path, {
    credentials: 'same-origin',
    headers: {Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest'}
  });
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.message ? body.message : response.status + ' ' + response.statusText;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

// ---- building the page: text nodes only ----

/** An element with attributes and children; strings become text nodes. */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined && value !== false) {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function table(headers, rows, attributes) {
  return h('table', Object.assign({class: 'table table-condensed table-bordered flowcast-table'}, attributes || {}),
    h('thead', null, h('tr', null, headers.map(header => h('th', null, header)))),
    h('tbody', null, rows.map(row => h('tr', row.attributes || null,
      (row.cells || row).map(cell => h('td', null, cell))))));
}

function section(title, attributes, ...content) {
  return h('section', Object.assign({class: 'flowcast-section'}, attributes || {}), h('h4', null, title), content);
}

function facts(pairs, attributes) {
  return h('dl', Object.assign({class: 'dl-horizontal flowcast-facts'}, attributes || {}),
    pairs.filter(pair => pair[1] !== null && pair[1] !== undefined && pair[1] !== '')
      .map(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
}

function badge(status) {
  const tone = {
    STARTED: 'success', COMPLETED: 'success', MIGRATED: 'warning', RESTARTED: 'warning', KEPT: 'info',
    REFUSED: 'danger', FAILED: 'danger', CANCELLED: 'default', QUEUED: 'info', REJECTED: 'danger',
    EXPIRED: 'danger', FASTER: 'success', SLOWER: 'danger'
  }[status] || 'default';
  return h('span', {class: 'label label-' + tone + ' flowcast-status', 'data-status': status}, status);
}

function number(value, digits) {
  if (value === null || value === undefined || value === '') {
    return '–';
  }
  const n = Number(value);
  if (!Number.isFinite(n)) {
    return String(value);
  }
  return n.toFixed(digits === undefined ? 2 : digits);
}

function seconds(value) {
  return value === null || value === undefined ? '–' : number(value, 1) + ' s';
}

function money(value) {
  return value === null || value === undefined ? '–' : '$' + number(value, 5);
}

function time(iso) {
  if (!iso) {
    return '–';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

function instanceLink(processInstanceId) {
  return h('a', {href: '#/process-instance/' + encodeURIComponent(processInstanceId) + '/runtime'}, processInstanceId);
}

function binding(step) {
  const version = step.componentVersion === undefined ? '' : ' v' + step.componentVersion;
  return step.component + version + ' @ ' + step.pool;
}

function bindings(steps) {
  return (steps || []).map(step => step.stepId + ' = ' + step.component + '@' + step.pool).join(', ');
}

function scoreFacts(score) {
  if (!score) {
    return '–';
  }
  return 'total ' + number(score.total, 3) + ' = probability ' + number(score.probability, 3)
    + ' + fit ' + number(score.fit, 3) + ' + cost ' + number(score.cost, 3) + ' − risk ' + number(score.risk, 4);
}

function sameSteps(a, b) {
  return JSON.stringify((a && a.steps) || []) === JSON.stringify((b && b.steps) || []);
}

/** Why an alternative lost to the chosen workflow, from their score parts. */
function whyLost(alternative, chosen) {
  const a = alternative.score || {};
  const c = (chosen && chosen.score) || {};
  if (a.feasible === false) {
    return 'does not fit the capacity projected free';
  }
  const reasons = [];
  if (a.fit < c.fit) {
    reasons.push('fit ' + number(a.fit, 3) + ' < ' + number(c.fit, 3));
  }
  if (a.cost < c.cost) {
    reasons.push('cost score ' + number(a.cost, 3) + ' < ' + number(c.cost, 3));
  }
  if (a.risk > c.risk) {
    reasons.push('risk ' + number(a.risk, 4) + ' > ' + number(c.risk, 4));
  }
  if (a.probability < c.probability) {
    reasons.push('probability ' + number(a.probability, 3) + ' < ' + number(c.probability, 3));
  }
  const total = 'total ' + number(a.total, 3) + (a.total < c.total ? ' < ' : ' vs ') + number(c.total, 3);
  return reasons.length ? total + ': ' + reasons.join(', ') : total;
}

function message(text, tone) {
  return h('div', {class: 'alert alert-' + (tone || 'info') + ' flowcast-message'}, text);
}

let stylesAdded = false;

function addStyles() {
  if (stylesAdded) {
    return;
  }
  stylesAdded = true;
  document.head.appendChild(h('style', {id: 'flowcast-styles'}, `
.flowcast { padding: 10px 15px; }
.flowcast-section { margin-bottom: 18px; }
.flowcast-section h4 { margin-top: 12px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.flowcast-facts dt { width: 190px; }
.flowcast-facts dd { margin-left: 210px; }
.flowcast-table { width: auto; min-width: 50%; }
.flowcast-table td, .flowcast-table th { padding: 3px 8px !important; }
.flowcast-reason { white-space: pre-wrap; }
.flowcast-timeline img { max-width: 100%; border: 1px solid #eee; background: #fff; }
.flowcast-switch { border-left: 3px solid #f0ad4e; padding-left: 10px; margin-bottom: 12px; }
.flowcast-switch[data-status="REFUSED"], .flowcast-switch[data-status="KEPT"] { border-left-color: #5bc0de; }
.flowcast-dashboard .flowcast-column { display: inline-block; vertical-align: top; margin-right: 30px; }
`));
}

/** Renders once the data is read; a later render or unmount makes an earlier one drop its result. */
function mount(node, load, draw) {
  addStyles();
  const token = {};
  node.__flowcastToken = token;
  node.replaceChildren(h('div', {class: 'flowcast'}, h('p', {class: 'flowcast-loading'}, 'Reading Flowcast…')));
  load().then(data => {
    if (node.__flowcastToken === token) {
      node.replaceChildren(h('div', {class: 'flowcast'}, draw(data)));
    }
  }, error => {
    if (node.__flowcastToken === token) {
      node.replaceChildren(h('div', {class: 'flowcast'}, message(
        error.status === 404 ? error.message : 'Flowcast could not be read: ' + error.message,
        error.status === 404 ? 'info' : 'danger')));
    }
  });
}

// ---- process instance: the decision timeline ----

function compositionView(decision) {
  const details = decision.details || {};
  const prediction = details.prediction || {};
  const chosen = details.chosen;
  const alternatives = (details.candidates || []).filter(candidate => !sameSteps(candidate, chosen))
    .slice(0, ALTERNATIVES_SHOWN);
  return section('Composition', {'data-flowcast': 'composition'},
    facts([
      ['Outcome', badge(decision.status)],
      ['Intent', decision.intent],
      ['Requested by', h('span', {'data-flowcast': 'user'}, decision.user || '–')],
      ['Decided at', time(decision.decidedAt)],
      ['Origin', details.origin],
      ['Prediction', (prediction.source || '–') + ', probability ' + number(prediction.probability, 3)],
      ['Score', chosen ? h('span', {'data-flowcast': 'score'}, scoreFacts(chosen.score)) : null],
      ['Cost per run', chosen && chosen.score ? money(chosen.score.costPerRun) : null],
      ['Candidates scored', details.candidateCount],
      ['Reason', h('span', {class: 'flowcast-reason'}, decision.reason || '–')]
    ]),
    chosen ? [h('h5', null, 'Chosen bindings'), table(['Step', 'Capability', 'Component', 'Pool'],
      chosen.steps.map(step => [step.stepId, step.capability,
        step.component + ' v' + step.componentVersion, step.pool]), {'data-flowcast': 'bindings'})] : null,
    alternatives.length ? [h('h5', null, 'Alternatives and why they lost'),
      table(['Bindings', 'Total', 'Fit', 'Cost', 'Risk', 'Why not'],
        alternatives.map(alternative => [bindings(alternative.steps), number(alternative.score.total, 3),
          number(alternative.score.fit, 3), number(alternative.score.cost, 3), number(alternative.score.risk, 4),
          whyLost(alternative, chosen)]), {'data-flowcast': 'alternatives'})] : null);
}

function stepsView(steps) {
  return section('Step runs', {'data-flowcast': 'steps'}, steps.length === 0
    ? h('p', null, 'No step has ended yet.')
    : table(['Step', 'Component', 'Pool', 'Seconds', 'Cost', 'Outcome', 'Started'],
      steps.map(step => {
        const d = step.details || {};
        return [d.stepId, d.component, d.pool, number(d.seconds, 1), money(d.cost), badge(step.status),
          time(d.startedAt)];
      })));
}

function figuresText(figures) {
  return Object.entries(figures || {}).map(([name, value]) =>
    name + ' ' + (typeof value === 'number' ? number(value, Number.isInteger(value) ? 0 : 2) : JSON.stringify(value)))
    .join(', ');
}

function switchView(decision) {
  const d = decision.details || {};
  const cause = d.cause || {};
  const stayTotal = d.stay && d.stay.score ? d.stay.score.total : null;
  const chosenTotal = d.chosen && d.chosen.score ? d.chosen.score.total : null;
  return h('div', {class: 'flowcast-switch', 'data-flowcast': 'switch', 'data-status': decision.status},
    facts([
      ['Outcome', badge(decision.status)],
      ['Decided at', time(decision.decidedAt)],
      ['Cause', [cause.reason, cause.stepId, cause.component && cause.component + '@' + cause.pool]
        .filter(Boolean).join(' · ')],
      ['Figures', h('span', {'data-flowcast': 'figures'}, figuresText(cause.figures)) ],
      ['Staying', d.stay ? 'score ' + number(stayTotal, 3) + ', ' + seconds(d.estimatedRemainingSecondsStaying)
        + ' left (' + bindings(d.stay.steps) + ')' : null],
      ['Switching', d.chosen ? 'score ' + number(chosenTotal, 3) + ', '
        + seconds(d.estimatedRemainingSecondsSwitched) + ' left (' + bindings(d.chosen.steps) + ')' : null],
      ['Restarted steps', (d.restartedSteps || []).join(', ')],
      ['From', d.from],
      ['To', d.to],
      ['Reason', h('span', {class: 'flowcast-reason', 'data-flowcast': 'reason'}, decision.reason || '–')]
    ]),
    (d.alternatives || []).length ? table(['Alternative', 'Total', 'Feasible'],
      d.alternatives.map(alternative => [bindings(alternative.steps),
        number(alternative.score && alternative.score.total, 3),
        alternative.score && alternative.score.feasible === false ? 'no' : 'yes'])) : null);
}

function instanceView(processInstanceId, timeline) {
  if (timeline.length === 0) {
    return message('No Flowcast decisions about this instance that you may read.');
  }
  const byKind = kind => timeline.filter(decision => decision.kind === kind);
  const compositions = byKind('COMPOSITION');
  const switches = byKind('SWITCH');
  const outcomes = byKind('SWITCH_OUTCOME');
  const others = timeline.filter(decision =>
    !['COMPOSITION', 'STEP', 'SWITCH', 'SWITCH_OUTCOME'].includes(decision.kind));
  const svg = apiBase() + '/decisions/timeline.svg?processInstanceId=' + encodeURIComponent(processInstanceId);
  return [
    compositions.map(compositionView),
    stepsView(byKind('STEP')),
    section('Switches', {'data-flowcast': 'switches'},
      switches.length ? switches.map(switchView) : h('p', null, 'Never switched.')),
    outcomes.length ? section('Outcome', {'data-flowcast': 'outcome'}, outcomes.map(outcome =>
      facts([['Switch outcome', badge(outcome.status)], ['Decided at', time(outcome.decidedAt)],
        ['Reason', h('span', {class: 'flowcast-reason'}, outcome.reason || '–')]]))) : null,
    others.length ? section('Other decisions', {'data-flowcast': 'others'},
      table(['Kind', 'Outcome', 'Decided at', 'Reason'],
        others.map(decision => [decision.kind, badge(decision.status), time(decision.decidedAt),
          decision.reason || '–']))) : null,
    section('Timeline', {class: 'flowcast-section flowcast-timeline', 'data-flowcast': 'timeline'},
      h('img', {src: svg, alt: 'the decision timeline of ' + processInstanceId}))
  ];
}

// ---- process definition: what ran on it ----

function definitionView(summary) {
  return [
    section('Composition', {'data-flowcast': 'definition'}, facts([
      ['Intent', summary.intent],
      ['Template', summary.template
        ? summary.template.name + ' (' + String(summary.template.source).split(/[\\/]/).pop() + ')' : null],
      ['Version tag', summary.versionTag],
      ['Declared duration', seconds(summary.declaredSeconds)]
    ]), table(['Step', 'Capability', 'Component', 'Version', 'Pool', 'Declared'],
      summary.steps.map(step => [step.stepId, step.capability, step.component, step.componentVersion, step.pool,
        seconds(step.declaredSeconds)]), {'data-flowcast': 'bindings'})),
    section('Instances (' + summary.readScope + ')', {'data-flowcast': 'instances'}, facts([
      ['Ran on it', h('span', {'data-flowcast': 'instance-count'}, summary.instanceCount)],
      ['Completed', summary.completedCount],
      ['Switched onto it', summary.switchedOntoCount],
      ['Mean cost (completed)', money(summary.meanCost)],
      ['Mean duration (completed)', seconds(summary.meanSeconds)],
      ['Switches away', h('span', {'data-flowcast': 'switches-away-count'}, summary.switchesAway.length)]
    ]), summary.instances.length ? table(['Instance', 'User', 'State', 'Duration', 'Cost', 'Switches'],
      summary.instances.map(row => [instanceLink(row.processInstanceId), row.user || '–', row.state,
        seconds(row.seconds), money(row.cost), row.switches])) : null),
    summary.switchesAway.length ? section('Switches away from it', {'data-flowcast': 'switches-away'},
      table(['Instance', 'Outcome', 'Decided at', 'To', 'Reason'],
        summary.switchesAway.map(row => [instanceLink(row.processInstanceId), badge(row.status), time(row.decidedAt),
          row.to || '–', row.reason || '–']))) : null
  ];
}

// ---- dashboard: decisions, queue, switches, capacity ----

function midnight() {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.toISOString();
}

function dashboardView([overview, profile]) {
  return h('div', {class: 'flowcast-dashboard'},
    h('h3', null, 'Flowcast'),
    h('div', {class: 'flowcast-column'},
      section('Decisions today (' + overview.readScope + ')', {'data-flowcast': 'decisions-today'},
        overview.decisions.length ? table(['Kind', 'Outcome', 'Count'],
          overview.decisions.map(count => ({attributes: {'data-kind': count.kind, 'data-status': count.status},
            cells: [count.kind, badge(count.status), h('span', {'data-flowcast': 'count'}, count.count)]})))
          : h('p', null, 'No decisions since ' + time(overview.since) + '.')),
      section('Queue', {'data-flowcast': 'queue'},
        facts([['Queued requests', h('span', {'data-flowcast': 'queue-length'}, overview.queue.length)]]),
        overview.queue.oldest.length ? table(['Queue instance', 'Queued since'],
          overview.queue.oldest.map(row => [instanceLink(row.processInstanceId), time(row.since)])) : null),
      section('Switches today', {'data-flowcast': 'switches-today'}, overview.switches.length
        ? table(['Instance', 'Outcome', 'User', 'Intent', 'Reason'], overview.switches.map(row =>
          [instanceLink(row.processInstanceId), badge(row.status), row.user || '–', row.intent || '–',
            row.reason || '–']))
        : h('p', null, 'No switches today.'))),
    h('div', {class: 'flowcast-column'}, resourcesView(profile)));
}

function resourcesView(profile) {
  const horizons = ['5m', '10m', '15m'];
  const kinds = table(['Kind', 'Capacity', 'Available now'].concat(horizons.map(horizon => 'Projected +' + horizon)),
    Object.entries(profile.kinds || {}).map(([kind, measured]) => [kind + ' (' + measured.unit + ')',
      number(measured.capacity, 1), number(measured.available, 1)].concat(horizons.map(horizon => {
      const at = (measured.projected || {})[horizon];
      return at ? number(at.expected, 1) + ' (upper ' + number(at.upper, 1) + ')' : '–';
    }))));
  const pools = table(
    ['Pool', 'Capacity', 'Available'].concat(horizons.map(horizon => '+' + horizon)).concat(['$/vCPU-h', 'Interruption']),
    (profile.pools || []).map(pool => ({
      attributes: {'data-pool': pool.name},
      cells: [pool.name, demand(pool.capacity), demand(pool.available)]
        .concat(horizons.map(horizon => demand((pool.projected || {})[horizon])))
        .concat([number(pool.pricePerVcpuHour, 4), pool.interruptionNotice
          ? 'notice: ' + (pool.interruptionNotice.reason || 'interruption')
          : 'rate ' + number(pool.interruptionRatePerHour, 3) + '/h'])
    })),
    {'data-flowcast': 'pools'});
  const title = 'Resources' + (profile.stale ? ' (stale: ' + (profile.problem || 'no fresh sample') + ')' : '');
  return section(title, {'data-flowcast': 'resources'}, kinds,
    h('h5', null, 'Pools: free vCPU / memory MB, now and projected'), pools,
    h('p', {class: 'text-muted'}, 'Source ' + (profile.source || '–') + ', prices from '
      + ((profile.catalog && profile.catalog.source) || '–')));
}

function demand(d) {
  return d ? number(d.vcpu, 1) + ' / ' + number(d.memoryMb, 0) : '–';
}

// ---- the plugins ----

// Flowcast's elastic pools on the Cockpit dashboard: each pool's units (wanted by the capacity
// planner, provisioned, ready) and their course over the last hours, read from GET
// /flowcast/api/capacity/* with the Cockpit session. Every string from the API reaches the page as
// a text node; the chart is an <img> of server-drawn SVG.

const HOURS_SHOWN = 6;

function units(value) {
  return value === null || value === undefined ? '–' : String(value);
}

function poolsView(status) {
  const rows = Object.values(status.pools || {}).map(pool => h('tr', {'data-pool': pool.pool},
    h('td', null, pool.pool), h('td', null, units(pool.desiredUnits)), h('td', null, units(pool.provisionedUnits)),
    h('td', null, units(pool.readyUnits)), h('td', null, pool.minUnits + '–' + pool.maxUnits),
    h('td', null, pool.unitVcpu + ' vCPU / ' + pool.unitMemoryMb + ' MB')));
  const mode = status.acting ? 'sizes asked of ' + status.provider : 'sizes not asked for (' + status.provider
    + (status.provider === 'fixed' ? ': the catalog\'s capacity' : ', shadow mode') + ')';
  return h('div', {class: 'flowcast', 'data-flowcast': 'elastic-pools'},
    h('h4', null, 'Elastic pools'),
    h('p', {class: 'text-muted'}, 'Planner ' + status.planner + '; ' + mode + '.'),
    rows.length ? h('table', {class: 'table table-condensed'},
      h('thead', null, h('tr', null, ...['Pool', 'Wanted', 'Provisioned', 'Ready', 'Min–max', 'Unit']
        .map(title => h('th', null, title)))),
      h('tbody', null, ...rows)) : h('p', null, 'No elastic pool in the price catalog.'),
    h('img', {src: apiBase() + '/capacity/history.svg?hours=' + HOURS_SHOWN, alt: 'Elastic pool sizes over time',
      'data-flowcast': 'pool-sizes-chart', style: 'max-width: 100%'}));
}

const elasticPoolsDashboard = {
  id: 'flowcast.dashboard.capacity',
  pluginPoint: 'cockpit.dashboard',
  priority: 4,
  render: node => {
    fetch(apiBase() + '/capacity/pools', {
      credentials: 'same-origin',
      headers: {Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest'}
    }).then(response => response.ok ? response.json() : Promise.reject(new Error(response.status + ' '
        + response.statusText)))
      .then(status => node.replaceChildren(poolsView(status)))
      .catch(error => node.replaceChildren(h('div', {class: 'flowcast alert alert-warning'},
        'Elastic pools cannot be read: ' + error.message)));
  },
  unmount: () => {}
};

export default [
  {
    id: 'flowcast.processInstance.tab',
    pluginPoint: 'cockpit.processInstance.runtime.tab',
    priority: 20,
    properties: {label: 'Flowcast'},
    render: (node, {processInstanceId}) => mount(node,
      () => read('/decisions?limit=1000&processInstanceId=' + encodeURIComponent(processInstanceId)),
      timeline => instanceView(processInstanceId, timeline)),
    unmount: () => {}
  },
  {
    id: 'flowcast.processDefinition.tab',
    pluginPoint: 'cockpit.processDefinition.runtime.tab',
    // after Cockpit's own instance list, which stays the tab a definition opens on
    priority: 5,
    properties: {label: 'Flowcast'},
    render: (node, {processDefinitionId}) => {
      const key = String(processDefinitionId).split(':')[0];
      if (!key.startsWith(COMPOSED_PREFIX) || key === QUEUE_KEY) {
        addStyles();
        node.replaceChildren(h('div', {class: 'flowcast'}, message(key === QUEUE_KEY
          ? 'The queue of requests nothing fitted: open one of its instances for its decisions.'
          : 'Not composed by Flowcast.')));
        return;
      }
      mount(node, () => read('/definitions/summary?processDefinitionId=' + encodeURIComponent(processDefinitionId)),
        definitionView);
    },
    unmount: () => {}
  },
  {
    id: 'flowcast.dashboard',
    pluginPoint: 'cockpit.dashboard',
    priority: 5,
    render: node => mount(node,
      () => Promise.all([read('/overview?since=' + encodeURIComponent(midnight())), read('/resources/profile')]),
      dashboardView),
    unmount: () => {}
  },
  elasticPoolsDashboard
];

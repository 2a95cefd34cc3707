// Checks what a Camunda Modeler user relies on, for ElementTemplatesTest (mvn test):
//  (a) every element template in task-components/element-templates validates against the official
//      Camunda 7 element templates schema;
//  (b) every shipped task component (task-components/*.bpmn) and every task of a shipped workflow
//      template (src/main/resources/bpmn/templates/*.bpmn) names its element template
//      (camunda:modelerTemplate) and holds exactly the properties that template produces, with
//      values its constraints allow;
//  (c) bpmnlint, with the rules of .bpmnlintrc, finds nothing in any shipped BPMN file.
// Exit code 0 when all holds, 1 with one line per problem otherwise.
//
// node check.mjs [--templates DIR] [--lint FILE]...
//   --templates  the element templates to check (default: the shipped ones)
//   --lint       one more BPMN file to lint (repeatable)
import { validate } from '@bpmn-io/element-templates-validator';
import { BpmnModdle } from 'bpmn-moddle';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const camundaDescriptor = require('camunda-bpmn-moddle/resources/camunda.json');

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const SCHEMA_URL = 'https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json';
const COMPONENT_TEMPLATE = 'dev.flowcast.component';
const EXTERNAL_WORK_TEMPLATE = 'dev.flowcast.component.external-work';
const TASK_TEMPLATE_PREFIX = 'dev.flowcast.task.';

const args = process.argv.slice(2);
let templatesDir = join(ROOT, 'task-components/element-templates');
const extraLint = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--templates' && args[i + 1]) {
    templatesDir = resolve(args[++i]);
  } else if (args[i] === '--lint' && args[i + 1]) {
    extraLint.push(resolve(args[++i]));
  } else {
    console.error(`unknown argument '${args[i]}': node check.mjs [--templates DIR] [--lint FILE]...`);
    process.exit(2);
  }
}

const problems = [];
const problem = (where, message) => problems.push(`${where}: ${message}`);
const show = (file) => (relative(ROOT, file).startsWith('..') ? file : relative(ROOT, file));
const bpmnFiles = (dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.bpmn')).sort()
  .map((f) => join(ROOT, dir, f));

// (a) the templates against the schema -------------------------------------------------------

const templates = new Map();
const templateFiles = readdirSync(templatesDir).filter((f) => f.endsWith('.json')).sort();
if (templateFiles.length === 0) {
  problem(show(templatesDir), 'no element template (*.json)');
}
for (const file of templateFiles) {
  const path = join(templatesDir, file);
  const where = show(path);
  const text = readFileSync(path, 'utf-8');
  let template;
  try {
    template = JSON.parse(text);
  } catch (e) {
    problem(where, `not JSON: ${e.message}`);
    continue;
  }
  const { valid, errors } = validate(text);
  if (!valid) {
    for (const error of errors) {
      const line = error.dataPointer ? ` (line ${error.dataPointer.value.line + 1})` : '';
      problem(where, `schema: ${error.dataPath || error.instancePath || '/'} ${error.message}${line}`);
    }
    continue;
  }
  if (template.$schema !== SCHEMA_URL) {
    problem(where, `$schema must be ${SCHEMA_URL}`);
  }
  if (templates.has(template.id)) {
    problem(where, `template id '${template.id}' is also used by ${templates.get(template.id).file}`);
    continue;
  }
  templates.set(template.id, { ...template, file: where });
}
console.log(`(a) ${templateFiles.length} element templates read, ${templates.size} valid against `
  + '@camunda/element-templates-json-schema');

// the pool choices are the shipped price catalog's pools, and 'any'
const catalogFile = join(ROOT, 'src/main/resources/config/prices.yml');
const catalogPools = [];
let inPools = false;
for (const line of readFileSync(catalogFile, 'utf-8').split('\n')) {
  if (/^\S/.test(line)) {
    inPools = line.startsWith('pools:');
  } else if (inPools && /^ {2}[a-z0-9-]+:\s*$/.test(line)) {
    catalogPools.push(line.trim().slice(0, -1));
  }
}
const poolControl = templates.get(COMPONENT_TEMPLATE)?.properties.find((p) => p.binding.name === 'flowcast.pool');
if (poolControl) {
  const choices = (poolControl.choices || []).map((c) => c.value).sort();
  const expected = [...catalogPools, 'any'].sort();
  if (poolControl.type !== 'Dropdown' || choices.join() !== expected.join()) {
    problem(templates.get(COMPONENT_TEMPLATE).file, `the choices of flowcast.pool are [${choices.join(', ')}], `
      + `${show(catalogFile)} has the pools [${catalogPools.join(', ')}], and 'any'`);
  }
}

// (b) shipped files against their templates ------------------------------------------------

const moddle = new BpmnModdle({ camunda: camundaDescriptor });

async function read(file) {
  try {
    const { rootElement, warnings } = await moddle.fromXML(readFileSync(file, 'utf-8'));
    for (const warning of warnings) {
      problem(show(file), `import warning: ${warning.message.split('\n')[0]}`);
    }
    return rootElement;
  } catch (e) {
    problem(show(file), `not BPMN: ${e.message.split('\n')[0]}`);
    return null;
  }
}

function camundaProperties(element) {
  const values = new Map();
  for (const extension of element.extensionElements?.values || []) {
    if (extension.$type === 'camunda:Properties') {
      for (const property of extension.values || []) {
        if (values.has(property.name)) {
          problem(element.id, `property '${property.name}' is declared twice`);
        }
        values.set(property.name, property.value);
      }
    }
  }
  return values;
}

/** Why the template's control refuses a value, or null when it accepts it. */
function refusal(control, value) {
  if (value === undefined || value === null) {
    return 'is missing';
  }
  if (control.type === 'Hidden' && value !== String(control.value)) {
    return `is '${value}', the template fixes it to '${control.value}'`;
  }
  if (control.type === 'Dropdown' && !control.choices.some((c) => c.value === value)) {
    return `is '${value}', not one of the choices ${control.choices.map((c) => `'${c.value}'`).join(', ')}`;
  }
  const constraints = control.constraints || {};
  if (constraints.notEmpty && String(value).trim() === '') {
    return 'is empty';
  }
  if (constraints.minLength !== undefined && String(value).length < constraints.minLength) {
    return `'${value}' is shorter than ${constraints.minLength}`;
  }
  if (constraints.maxLength !== undefined && String(value).length > constraints.maxLength) {
    return `'${value}' is longer than ${constraints.maxLength}`;
  }
  if (constraints.pattern) {
    const pattern = typeof constraints.pattern === 'string' ? constraints.pattern : constraints.pattern.value;
    if (!new RegExp(pattern).test(String(value))) {
      const message = typeof constraints.pattern === 'string' ? '' : ` (${constraints.pattern.message})`;
      return `'${value}' does not match ${pattern}${message}`;
    }
  }
  return null;
}

/** The element holds exactly what the named template produces. */
function checkAgainstTemplate(file, element, templateId) {
  const where = `${show(file)} ${element.id}`;
  const applied = element.get('camunda:modelerTemplate');
  if (applied !== templateId) {
    problem(where, `camunda:modelerTemplate is '${applied ?? ''}', expected '${templateId}'`);
  }
  const template = templates.get(templateId);
  if (!template) {
    problem(where, `no valid element template '${templateId}' in ${show(templatesDir)}`);
    return;
  }
  if (template.version !== undefined
      && String(element.get('camunda:modelerTemplateVersion')) !== String(template.version)) {
    problem(where, `camunda:modelerTemplateVersion is '${element.get('camunda:modelerTemplateVersion') ?? ''}', `
      + `${template.file} is version ${template.version}`);
  }
  if (!template.appliesTo.some((type) => element.$instanceOf(type))) {
    problem(where, `is a ${element.$type}, ${template.file} applies to ${template.appliesTo.join(', ')}`);
  }
  if (template.elementType && element.$type !== template.elementType.value) {
    problem(where, `is a ${element.$type}, ${template.file} makes a ${template.elementType.value}`);
  }
  const properties = camundaProperties(element);
  const bound = new Set();
  for (const control of template.properties) {
    const { binding } = control;
    if (binding.type === 'camunda:property') {
      bound.add(binding.name);
      const why = refusal(control, properties.get(binding.name));
      if (why) {
        problem(where, `property '${binding.name}' ${why}`);
      }
    } else if (binding.type === 'property') {
      const value = element.get(binding.name);
      const why = refusal(control, value === undefined ? undefined : String(value));
      if (why) {
        problem(where, `attribute '${binding.name}' ${why}`);
      }
    } else {
      problem(template.file, `binding type '${binding.type}' is not checked here: extend check.mjs`);
    }
  }
  for (const name of properties.keys()) {
    if (!bound.has(name)) {
      problem(where, `property '${name}' is not produced by ${template.file}`);
    }
  }
}

const components = bpmnFiles('task-components');
const componentCapabilities = new Set();
let externalTasks = 0;
for (const file of components) {
  const definitions = await read(file);
  const executable = (definitions?.rootElements || []).filter((e) => e.$type === 'bpmn:Process' && e.isExecutable);
  if (definitions && executable.length !== 1) {
    problem(show(file), `holds ${executable.length} executable processes, a task component holds exactly one`);
    continue;
  }
  if (definitions) {
    checkAgainstTemplate(file, executable[0], COMPONENT_TEMPLATE);
    // work done by external-task workers: its topic names the pool
    for (const task of (executable[0].flowElements || []).filter((e) => e.$type === 'bpmn:ServiceTask')) {
      if (task.get('camunda:type') === 'external') {
        externalTasks++;
        checkAgainstTemplate(file, task, EXTERNAL_WORK_TEMPLATE);
      }
    }
    componentCapabilities.add(camundaProperties(executable[0]).get('flowcast.capability'));
  }
}

const workflowTemplates = bpmnFiles('src/main/resources/bpmn/templates');
const usedCapabilities = new Set();
let tasks = 0;
for (const file of workflowTemplates) {
  const definitions = await read(file);
  for (const process of (definitions?.rootElements || []).filter((e) => e.$type === 'bpmn:Process')) {
    for (const task of (process.flowElements || []).filter((e) => e.$type === 'bpmn:Task')) {
      tasks++;
      const capability = camundaProperties(task).get('flowcast.capability');
      usedCapabilities.add(capability);
      checkAgainstTemplate(file, task, TASK_TEMPLATE_PREFIX + capability);
    }
  }
}

// every capability has its step template, and every step template has a component to bind
for (const capability of componentCapabilities) {
  if (!templates.has(TASK_TEMPLATE_PREFIX + capability)) {
    problem(show(templatesDir), `no element template '${TASK_TEMPLATE_PREFIX}${capability}' for the capability `
      + `'${capability}' of the shipped components`);
  }
}
for (const [id, template] of templates) {
  if (id.startsWith(TASK_TEMPLATE_PREFIX) && !componentCapabilities.has(id.substring(TASK_TEMPLATE_PREFIX.length))) {
    problem(template.file, `no shipped task component provides '${id.substring(TASK_TEMPLATE_PREFIX.length)}'`);
  }
}
console.log(`(b) ${components.length} task components (${externalTasks} external tasks) and ${tasks} tasks of ${workflowTemplates.length} workflow `
  + `templates checked against their element templates (${componentCapabilities.size} capabilities)`);

// (c) bpmnlint -----------------------------------------------------------------------------

const lintConfig = JSON.parse(readFileSync(join(HERE, '.bpmnlintrc'), 'utf-8'));
const linted = [...components, ...bpmnFiles('src/main/resources/bpmn'), ...workflowTemplates, ...extraLint];
let findings = 0;
for (const file of linted) {
  const definitions = await read(file);
  if (!definitions) {
    continue;
  }
  // a linter per file, as bpmnlint's command line does: rules such as no-duplicate-sequence-flows
  // keep what they saw, and would report a flow of one file as a duplicate of another file's
  const linter = new Linter({ config: lintConfig, resolver: new NodeResolver() });
  const reports = await linter.lint(definitions);
  for (const [rule, entries] of Object.entries(reports)) {
    for (const entry of entries) {
      findings++;
      problem(`${show(file)} ${entry.id || ''}`.trim(), `${entry.category} ${rule}: ${entry.message}`);
    }
  }
}
const switchedOff = Object.entries(lintConfig.rules || {}).filter(([, v]) => v === 'off' || v === 0).map(([k]) => k);
console.log(`(c) ${linted.length} BPMN files linted with bpmnlint (${lintConfig.extends}, `
  + `switched off: ${switchedOff.length ? switchedOff.join(', ') : 'none'}): ${findings} findings`);

if (problems.length > 0) {
  console.log(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  problems.forEach((p) => console.log(`  ${p}`));
  process.exit(1);
}
console.log('\nno problems');

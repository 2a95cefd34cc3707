// A Camunda 7 modeler in the browser: bpmn-js with the properties panel and the element templates
// provider, as the Camunda Modeler desktop application combines them. screenshot.mjs serves it.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule
} from 'bpmn-js-properties-panel';
import { ElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

async function open() {
  const [ diagram, templates ] = await Promise.all([
    fetch('/diagram.bpmn').then((r) => r.text()),
    fetch('/element-templates.json').then((r) => r.json())
  ]);
  const modeler = new BpmnModeler({
    container: '#canvas',
    propertiesPanel: { parent: '#properties' },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
      ElementTemplatesPropertiesProviderModule
    ],
    moddleExtensions: { camunda: camundaModdle },
    elementTemplates: templates
  });
  const errors = [];
  modeler.on('elementTemplates.errors', (event) => errors.push(...event.errors.map(String)));
  const { warnings } = await modeler.importXML(diagram);
  // the process is the root element: select it, as a click on the empty canvas does
  const root = modeler.get('canvas').getRootElement();
  modeler.get('selection').select(root);
  window.flowcast = { modeler, warnings: warnings.map((w) => w.message), errors };
  document.body.dataset.ready = 'true';
}

open().catch((e) => {
  document.body.dataset.error = String(e && e.stack || e);
});

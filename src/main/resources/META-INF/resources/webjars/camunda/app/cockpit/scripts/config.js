// Cockpit's configuration as Flowcast ships it: the webjar's own config.js (all defaults) with
// Flowcast's plugin added. This file sits before the webjar on the class path, so it is the one
// Cockpit loads. Paths in customScripts are relative to app/cockpit/ (".js" is appended).
export default {
  customScripts: ['scripts/flowcast/flowcast-plugin']
};

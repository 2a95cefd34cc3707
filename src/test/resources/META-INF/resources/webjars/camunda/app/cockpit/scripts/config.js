// A team's own Cockpit configuration, as an application that adds Flowcast may already have one:
// it comes before the webjar's on the class path and names a custom script of the team's. Flowcast
// adds its plugin through Cockpit's plugin mechanism, so both must show.
export default {
  customScripts: ['scripts/team/team-notice']
};

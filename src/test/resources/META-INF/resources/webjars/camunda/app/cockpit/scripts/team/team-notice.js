// The team's own Cockpit plugin: a notice on the dashboard.
export default {
  id: 'team-notice',
  pluginPoint: 'cockpit.dashboard',
  priority: 20,
  render: (node) => {
    const notice = document.createElement('p');
    notice.setAttribute('data-team', 'notice');
    notice.textContent = 'Release freeze on Friday (the team\'s own custom script)';
    node.appendChild(notice);
  }
};

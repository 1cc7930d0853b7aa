# Sourced by provision.sh: removes the variables an outer `npm run` exports (npm_config_user_agent,
# npm_node_execpath, npm_config_*, INIT_CWD, NODE…). They describe that npm and its Node, and would
# reach the npm we run under another Node. The user's .npmrc is still read by the child npm.
for name in $(compgen -e); do
  case "$name" in npm_*|NPM_*|INIT_CWD|NODE|NODE_GYP_*) unset "$name" ;; esac
done
unset name

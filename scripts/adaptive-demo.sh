#!/usr/bin/env bash
# Adaptive execution on the running application (mvn spring-boot:run, profile demo):
# start a run-report as alice, slow down the component of the step it is running (as demo, an
# administrator), and watch Flowcast switch the instance to a version with an alternative.
# Usage: scripts/adaptive-demo.sh [base-url]
set -euo pipefail
BASE=${1:-http://localhost:8080}
ALICE=(-s -u alice:alice)
ADMIN=(-s -u demo:demo)
started=$(date +%s)
elapsed() { echo "+$(( $(date +%s) - started ))s"; }

answer=$(curl "${ALICE[@]}" -H 'Content-Type: application/json' -X POST "$BASE/flowcast/api/requests" \
  -d '{"intent": "run-report", "parameters": {"region": "eu-west"}}')
id=$(jq -r .processInstanceId <<<"$answer")
echo "$(elapsed) started $id on $(jq -r .processDefinitionId <<<"$answer")"
jq -r '.workflow.steps[] | "         \(.stepId) = \(.component)@\(.pool)"' <<<"$answer"

# wait until the report is being rendered (step_3_compute running)
until curl "${ADMIN[@]}" "$BASE/engine-rest/process-instance/$id/activity-instances" \
    | jq -e '[.childActivityInstances[] | select(.activityId == "step_3_compute")] | length > 0' >/dev/null; do
  sleep 1
done
component=$(curl "${ADMIN[@]}" "$BASE/flowcast/api/decisions?processInstanceId=$id" \
  | jq -r '[.[] | select(.kind == "COMPOSITION")][0].details.chosen.steps[] | select(.stepId == "step_3_compute") | .component')
echo "$(elapsed) step_3_compute is running on $component: injecting a slowdown"
curl "${ADMIN[@]}" -H 'Content-Type: application/json' -X POST "$BASE/flowcast/api/demo/faults" \
  -d "{\"component\": \"$component\", \"slowdownFactor\": 10, \"seconds\": 120}" | jq -c .
echo

# the switch, within a minute
for _ in $(seq 1 60); do
  switch=$(curl "${ADMIN[@]}" "$BASE/flowcast/api/decisions?processInstanceId=$id" | jq -c '[.[] | select(.kind == "SWITCH")][0] // empty')
  [ -n "$switch" ] && break
  sleep 1
done
echo "$(elapsed) switch: $(jq -r '.status + " -> " + .processDefinitionId' <<<"$switch")"
echo "         reason: $(jq -r .reason <<<"$switch")"
echo "$(elapsed) instance now on: $(curl "${ADMIN[@]}" "$BASE/engine-rest/process-instance/$id" | jq -r .definitionId)"

# its completion
until [ "$(curl "${ADMIN[@]}" "$BASE/engine-rest/history/process-instance/$id" | jq -r .state)" = COMPLETED ]; do
  sleep 1
done
echo "$(elapsed) completed; history: $(curl "${ADMIN[@]}" "$BASE/engine-rest/history/process-instance/$id" | jq -r '.state + " on " + .processDefinitionId')"
curl "${ADMIN[@]}" -X DELETE "$BASE/flowcast/api/demo/faults/$component" >/dev/null || true
echo "timeline:"
curl "${ADMIN[@]}" "$BASE/flowcast/api/decisions?processInstanceId=$id" \
  | jq -r '.[] | "  \(.decidedAt)  \(.kind) \(.status)  \(.reason)"'

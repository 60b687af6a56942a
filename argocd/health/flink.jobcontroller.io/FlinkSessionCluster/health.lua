-- Argo CD health check of flink.jobcontroller.io/FlinkSessionCluster (Lua 5.1, as Argo CD's gopher-lua runs it).
-- Ready (crds/flinksessioncluster.yaml): the REST API answers and at least one TaskManager is registered.
--   Healthy      Ready=True
--   Degraded     Ready=False (unreachable, no TaskManager, TLS/auth Secrets missing, circuit breaker open)
--   Progressing  otherwise: no status yet, the latest generation not observed yet, or Ready Unknown
local hs = {}

local function condition(conditions, kind)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c == nil then
    return fallback
  end
  local reason = c.reason or ""
  local message = c.message or ""
  if reason ~= "" and message ~= "" then
    return reason .. ": " .. message
  elseif message ~= "" then
    return message
  elseif reason ~= "" then
    return reason
  end
  return fallback
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to probe the cluster"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
local observed = status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = condition(status.conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  local summary = {}
  if status.flinkVersion ~= nil and status.flinkVersion ~= "" then
    table.insert(summary, "Flink " .. status.flinkVersion)
  end
  if status.taskManagers ~= nil then
    table.insert(summary, tostring(status.taskManagers) .. " TaskManager(s)")
  end
  if status.slotsAvailable ~= nil and status.slotsTotal ~= nil then
    table.insert(summary, tostring(status.slotsAvailable) .. "/" .. tostring(status.slotsTotal) .. " slots free")
  end
  if #summary > 0 then
    hs.message = table.concat(summary, ", ")
  else
    hs.message = describe(ready, "Cluster is ready")
  end
  return hs
end

if ready ~= nil and ready.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(ready, "Cluster is not ready")
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready, "Waiting for the first probe of the cluster")
return hs

-- Argo CD health check of flink.jobcontroller.io/FlinkJob (Lua 5.1, as Argo CD's gopher-lua runs it).
-- Reads the conditions and the summary state the operator writes (crds/flinkjob.yaml, docs/api.md):
--   Degraded     held: state Held, or phase Held with a status.hold (also while deleting): the operator waits for
--                a person, and the Degraded condition's message says how to release the hold (docs/lifecycle.md)
--   Progressing  no status yet, the operator has not observed the latest generation, Progressing=True, or Ready
--                Unknown (the operator cannot reach the cluster and keeps retrying), or a transition the
--                operator drives (state Deploying, Upgrading, Suspending, Deleting)
--   Degraded     Degraded=True, state Failed, a failed batch run (Succeeded=False), or Ready=False without a
--                change in progress (refused: invalid spec, namespace policy, quota, artifact verification)
--   Suspended    state Suspended, or spec.state Suspended and no Flink job left running
--   Healthy      Ready=True, or a completed batch job (Succeeded=True)
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

-- "Reason: message", or whichever of the two is present.
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

-- s unless it is nil or empty, else fallback.
local function text(s, fallback)
  if s == nil or s == "" then
    return fallback
  end
  return s
end

-- Flink job states in which the job no longer runs on the cluster.
local stopped = { FINISHED = true, CANCELED = true, FAILED = true, SUSPENDED = true }

local transitional = { Deploying = true, Upgrading = true, Suspending = true }

local function jobRunning(status)
  local job = status.job
  if job == nil or job.id == nil or job.id == "" then
    return false
  end
  if job.flinkState == nil or job.flinkState == "" then
    return false
  end
  return not stopped[job.flinkState]
end

local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the FlinkJob"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
local observed = status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local conditions = status.conditions
local ready = condition(conditions, "Ready")
local progressing = condition(conditions, "Progressing")
local degraded = condition(conditions, "Degraded")
local succeeded = condition(conditions, "Succeeded")
local state = status.state
local desired = obj.spec and obj.spec.state

-- A hold: the operator does nothing on its own until a person releases it (status.hold.token). Checked before
-- Deleting, because a deletion can be held too (ClusterMissing, NoSavepointDirectory) and would otherwise look
-- like a deletion in progress forever.
if state == "Held" or (status.phase == "Held" and type(status.hold) == "table") then
  hs.status = "Degraded"
  if degraded ~= nil and degraded.status == "True" then
    hs.message = describe(degraded, "FlinkJob is held")
  elseif type(status.hold) == "table" then
    hs.message = describe(status.hold, text(status.message, "FlinkJob is held"))
  else
    hs.message = text(status.message, "FlinkJob is held until a person releases it")
  end
  return hs
end

if state == "Deleting" then
  hs.status = "Progressing"
  hs.message = describe(progressing, "Stopping the Flink job before deletion")
  return hs
end

if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded, "FlinkJob is degraded")
  return hs
end

if state == "Failed" then
  hs.status = "Degraded"
  hs.message = text(status.message, describe(ready, "FlinkJob failed"))
  return hs
end

if succeeded ~= nil and succeeded.status == "False" then
  hs.status = "Degraded"
  hs.message = describe(succeeded, "Batch run failed")
  return hs
end

if state == "Suspended" or (desired == "Suspended" and not jobRunning(status)) then
  hs.status = "Suspended"
  hs.message = text(status.message, "FlinkJob is suspended")
  return hs
end

if succeeded ~= nil and succeeded.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(succeeded, "Batch run succeeded")
  return hs
end

if progressing ~= nil and progressing.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(progressing, "FlinkJob is progressing")
  return hs
end

-- A transition the operator drives (it may still report the old job as Ready meanwhile).
if transitional[state] then
  hs.status = "Progressing"
  hs.message = text(status.message, "FlinkJob is " .. state)
  return hs
end

if ready ~= nil then
  if ready.status == "True" then
    hs.status = "Healthy"
    hs.message = describe(ready, "FlinkJob is ready")
    return hs
  elseif ready.status == "False" then
    hs.status = "Degraded"
    hs.message = describe(ready, "FlinkJob is not ready")
    return hs
  end
  hs.status = "Progressing"
  hs.message = describe(ready, "Readiness of the FlinkJob is unknown")
  return hs
end

-- No conditions yet: fall back to the summary state.
if state == "Running" or state == "Succeeded" or state == "Scheduled" then
  hs.status = "Healthy"
  hs.message = text(status.message, "FlinkJob is " .. state)
  return hs
end

hs.status = "Progressing"
if state ~= nil then
  hs.message = text(status.message, "FlinkJob is " .. state)
else
  hs.message = "Waiting for the operator to report conditions"
end
return hs

// Building an ExecutionRun: for a new execution (the rows submit() creates),
// from the journal (crash recovery), and what a rerun restores from the
// execution it reruns. Pure apart from one directory check for a directory
// workspace; thread-safe (no shared state).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "engine/engine.h"
#include "engine/execution_run.h"
#include "runner/output_file.h"
#include "store/execution_store.h"

namespace opz::engine {

// The pipeline re-read from its canonical JSON: every graph rule checked again
// (a hand-built Pipeline with a cycle is refused: "... cycle in needs: a → b → a"),
// nodes in topological order. Also answers the JSON text stored as the snapshot.
struct CanonicalPipeline {
  pipeline::Pipeline pipeline;
  std::string json_text;
};
Result<CanonicalPipeline> canonicalize(const pipeline::Pipeline& pipeline);

// A new run in state idle: its execution row (created_at = now, pipeline text
// set when the pipeline is given) and, when the pipeline is known, its nodes.
// kValidation for a bad request.
// `max_parallel` is the engine's process limit (see Scheduler), given to the Plan.
Result<std::unique_ptr<ExecutionRun>> build_new_run(NewExecution request,
                                                    const std::string& data_dir, TimePoint now,
                                                    int max_parallel);

// Sets the run's pipeline and creates its node runtimes with fresh pending
// rows (ids, positions, max_attempts from each node's retry policy), the
// index, and the Plan.
void attach_pipeline(ExecutionRun& run, pipeline::Pipeline pipeline, TimePoint now,
                     int max_parallel);

// The run as the journal has it (pipeline snapshot, node rows), for recovery.
// The Plan is created but not restored or started. kValidation when the
// snapshot is unreadable or rows and snapshot disagree.
Result<std::unique_ptr<ExecutionRun>> build_run_from_journal(
    store::ExecutionRecord row, std::vector<store::ExecutionNodeRecord> nodes,
    const std::string& data_dir, int max_parallel);

// The nodes a rerun starts as already succeeded, with the outputs they had:
// from a checkpoint (its previous_nodes marked success, outputs from the
// checkpoint) or, with failed_only, every node that succeeded in `original`.
struct RestoredNode {
  runner::OutputValues outputs;
};
Result<std::map<std::string, RestoredNode>> rerun_restores(
    const store::ExecutionDetail& original,
    const std::optional<store::CheckpointRecord>& checkpoint, bool failed_only);

// "manual", "push", ...: the trigger types executions.trigger_type allows.
bool is_trigger_type(std::string_view type);

}  // namespace opz::engine

#include "store/git_poll_store.h"

#include "core/time_format.h"

namespace opz::store {

Result<PolledRefs> GitPollStore::load(const std::string& project_id) {
  return db_.read([&](SqlSession& s) -> Result<PolledRefs> {
    PolledRefs out;
    OPZ_TRY(Rows state, s.query("SELECT project_id, git_url, first_scanned_at, last_polled_at, "
                                "last_error FROM git_poll_state WHERE project_id = $1",
                                {project_id}));
    if (!state.empty()) {
      GitPollState st;
      st.project_id = state[0]["project_id"].as_text();
      st.git_url = state[0]["git_url"].as_text();
      st.first_scanned_at = state[0]["first_scanned_at"].as_text();
      st.last_polled_at = state[0]["last_polled_at"].as_text();
      st.last_error = state[0]["last_error"].as_text();
      out.state = std::move(st);
    }
    OPZ_TRY(Rows refs,
            s.query("SELECT ref, last_sha FROM git_poll_refs WHERE project_id = $1", {project_id}));
    for (const Row& r : refs) out.refs[r["ref"].as_text()] = r["last_sha"].as_text();
    return out;
  });
}

Status GitPollStore::commit_poll(const PollCommit& c) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Status {
    if (c.reset) {
      OPZ_TRY_STATUS(s.exec("DELETE FROM git_poll_refs WHERE project_id = $1", {c.project_id}));
    }
    for (const auto& [ref, sha] : c.upserts) {
      OPZ_TRY_STATUS(
          s.exec("INSERT INTO git_poll_refs (project_id, ref, last_sha, updated_at) "
                 "VALUES ($1, $2, $3, $4) ON CONFLICT (project_id, ref) DO UPDATE "
                 "SET last_sha = excluded.last_sha, updated_at = excluded.updated_at",
                 {c.project_id, ref, sha, now}));
    }
    for (const std::string& ref : c.deletes) {
      OPZ_TRY_STATUS(s.exec("DELETE FROM git_poll_refs WHERE project_id = $1 AND ref = $2",
                            {c.project_id, ref}));
    }
    OPZ_TRY_STATUS(
        s.exec("INSERT INTO git_poll_state (project_id, git_url, first_scanned_at, last_polled_at, "
               "last_error, updated_at) VALUES ($1, $2, $3, $3, NULL, $4) "
               "ON CONFLICT (project_id) DO UPDATE SET git_url = excluded.git_url, "
               "first_scanned_at = CASE WHEN git_poll_state.git_url = excluded.git_url "
               "THEN git_poll_state.first_scanned_at ELSE excluded.first_scanned_at END, "
               "last_polled_at = excluded.last_polled_at, last_error = NULL, "
               "updated_at = excluded.updated_at",
               {c.project_id, c.git_url, c.polled_at, now}));
    if (c.also) OPZ_TRY_STATUS(c.also(s));
    return {};
  });
}

Status GitPollStore::record_error(const std::string& project_id, const std::string& error) {
  const std::string now = format_time(clock_.now());
  return db_.write([&](SqlSession& s) -> Status {
    OPZ_TRY_STATUS(
        s.exec("UPDATE git_poll_state SET last_error = $2, updated_at = $3 "
               "WHERE project_id = $1",
               {project_id, error.substr(0, 2000), now}));
    return {};
  });
}

}  // namespace opz::store

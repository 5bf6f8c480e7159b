#include "trigger/github_token.h"

#include "core/ids.h"

namespace opz::trigger {

secrets::SecretAddress github_token_address(const std::string& project_id,
                                            const std::string& row_id) {
  return {row_id, project_id, "", std::string(kGithubTokenName)};
}

Result<std::shared_ptr<const secrets::KeyRing>> GithubTokens::ring() const {
  if (!keys_) return Error::unavailable("this server has no master key ring");
  return keys_->ring();
}

Result<std::string> GithubTokens::seal(const std::string& project_id,
                                       std::string_view token) const {
  auto r = ring();
  if (!r) {
    if (r.error().code != ErrorCode::kUnavailable) return r.error();
    return legacy_.seal(token);  // no ring yet: moved by reseal_all() once there is one
  }
  store::StoredGithubToken row;
  row.id = new_uuid();
  OPZ_TRY(secrets::SealedSecret sealed,
          secrets::seal_secret(**r, github_token_address(project_id, row.id), token));
  row.key_id = sealed.key_id;
  row.nonce = sealed.nonce;
  row.ciphertext = sealed.ciphertext;
  row.last4 = token.size() >= 8 ? std::string(token.substr(token.size() - 4)) : "";
  return store::encode_ring_token(row);
}

Result<std::string> GithubTokens::open(const std::string& project_id,
                                       std::string_view sealed) const {
  if (sealed.empty()) return Error::not_found("no GitHub token is configured");
  const auto row = store::decode_ring_token(sealed);
  if (!row) return legacy_.open(sealed);
  OPZ_TRY(auto r, ring());
  return secrets::open_secret(*r, github_token_address(project_id, row->id),
                              {row->key_id, row->nonce, row->ciphertext});
}

std::string GithubTokens::last4(std::string_view sealed) {
  const auto row = store::decode_ring_token(sealed);
  return row ? row->last4 : "";
}

Result<GithubTokens::MoveReport> GithubTokens::reseal_all(store::GithubStore& store) const {
  OPZ_TRY(auto r, ring());
  OPZ_TRY(auto legacy, store.legacy_tokens());
  OPZ_TRY(auto older, store.tokens_not_under(r->newest().id));
  legacy.insert(legacy.end(), older.begin(), older.end());
  MoveReport report;
  for (const store::GithubStore::TokenRef& t : legacy) {
    auto token = open(t.project_id, t.sealed);
    if (!token) {
      report.unreadable.push_back(t.project_id);
      continue;
    }
    OPZ_TRY(std::string sealed, seal(t.project_id, *token));
    const auto row = store::decode_ring_token(sealed);
    if (!row) return Error::internal("sealing with the ring gave no ring token");
    Status replaced = store.replace_token(t.project_id, t.sealed, *row);
    if (replaced.ok()) {
      ++report.moved;
    } else if (replaced.error().code != ErrorCode::kConflict &&
               replaced.error().code != ErrorCode::kNotFound) {
      return replaced.error();
    }
  }
  return report;
}

}  // namespace opz::trigger

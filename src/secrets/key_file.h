// Key files: small files that hold key material, readable by their owner only.
//
// read_private_file() refuses a file that group or others may read (mode &
// 077: kForbidden, saying the chmod to run) and answers kNotFound when it does
// not exist. create_private_file() creates with mode 0600 and O_EXCL (two
// processes racing agree on one file: the loser gets kConflict), writes and
// fsyncs. replace_private_file() writes a temporary 0600 file beside the
// target, fsyncs it, renames it over the target and fsyncs the directory, so
// a crash leaves either the old or the new file, never a mix.
// Errors name the path, never the content. Thread-safe (plain syscalls).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace opz::secrets {

inline constexpr size_t kMaxKeyFileBytes = 64 * 1024;

Result<std::string> read_private_file(const std::string& path);
Status create_private_file(const std::string& path, std::string_view text);
Status replace_private_file(const std::string& path, std::string_view text);

}  // namespace opz::secrets

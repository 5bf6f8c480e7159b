// Deflate itself is Boost.Beast's header-only port of zlib's inflate (Beast is
// already a dependency; this avoids linking libz for one function). Only the
// gzip framing around it (RFC 1952: header, CRC-32, length) is ours.
#include "telemetry/otlp_receiver_gunzip.h"

#include <array>
#include <boost/beast/zlib/inflate_stream.hpp>
#include <cstdint>

namespace opz::telemetry {

namespace {

constexpr size_t kChunk = 64 * 1024;

uint32_t crc32(uint32_t crc, const unsigned char* p, size_t n) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = kTable[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint32_t le32(std::string_view s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24);
}

Error not_gzip(const std::string& why) {
  return Error::malformed("the body is not valid gzip: " + why, "body");
}

// The offset of the deflate data after one member's header (RFC 1952 2.3).
Result<size_t> skip_header(std::string_view in) {
  if (in.size() < 10) return not_gzip("it is shorter than a gzip header");
  if (static_cast<unsigned char>(in[0]) != 0x1f || static_cast<unsigned char>(in[1]) != 0x8b)
    return not_gzip("it does not start with the gzip magic bytes");
  if (in[2] != 8) return not_gzip("its compression method is not deflate");
  const auto flags = static_cast<unsigned char>(in[3]);
  if (flags & 0xE0) return not_gzip("it sets reserved header flags");
  size_t pos = 10;
  if (flags & 0x04) {  // FEXTRA: a 2-byte length, then that many bytes
    if (in.size() < pos + 2) return not_gzip("its header is truncated");
    pos +=
        2 + (static_cast<unsigned char>(in[pos]) | (static_cast<unsigned char>(in[pos + 1]) << 8));
  }
  for (unsigned char zero_terminated : {0x08, 0x10}) {  // FNAME, FCOMMENT
    if (!(flags & zero_terminated)) continue;
    size_t end = in.find('\0', pos);
    if (end == std::string_view::npos) return not_gzip("its header is truncated");
    pos = end + 1;
  }
  if (flags & 0x02) pos += 2;  // FHCRC
  if (pos > in.size()) return not_gzip("its header is truncated");
  return pos;
}

Error too_large(size_t max_output) {
  return Error::too_large("the gzip body inflates to more than " + std::to_string(max_output) +
                          " bytes (the otlp-max-body limit)");
}

// Inflates one member's deflate data from `in` onto `out`; answers how many
// bytes of `in` it used.
Result<size_t> inflate_member(std::string_view in, size_t max_output, std::string& out) {
  namespace zlib = boost::beast::zlib;
  zlib::inflate_stream stream;
  zlib::z_params zs;
  zs.next_in = in.data();
  zs.avail_in = in.size();
  for (;;) {
    const size_t used = out.size();
    if (used > max_output) return too_large(max_output);
    const size_t room = std::min(kChunk, max_output + 1 - used);
    out.resize(used + room);
    zs.next_out = out.data() + used;
    zs.avail_out = room;
    boost::beast::error_code ec;
    stream.write(zs, zlib::Flush::none, ec);
    out.resize(used + (room - zs.avail_out));
    if (ec == zlib::error::end_of_stream) break;
    if (ec == zlib::error::need_buffers && zs.avail_in == 0)
      return not_gzip("the compressed data is truncated");
    if (ec && ec != zlib::error::need_buffers) return not_gzip(ec.message());
    if (out.size() > max_output) return too_large(max_output);
  }
  if (out.size() > max_output) return too_large(max_output);
  return zs.total_in;
}

}  // namespace

Result<std::string> gunzip(std::string_view compressed, size_t max_output) {
  std::string out;
  std::string_view rest = compressed;
  do {
    OPZ_TRY(size_t header, skip_header(rest));
    const size_t start = out.size();
    OPZ_TRY(size_t used, inflate_member(rest.substr(header), max_output, out));
    rest.remove_prefix(header + used);
    if (rest.size() < 8) return not_gzip("its trailer (CRC-32 and length) is missing");
    const auto* member = reinterpret_cast<const unsigned char*>(out.data() + start);
    const size_t length = out.size() - start;
    if (le32(rest, 0) != crc32(0, member, length)) return not_gzip("its CRC-32 does not match");
    if (le32(rest, 4) != static_cast<uint32_t>(length))
      return not_gzip("its length does not match");
    rest.remove_prefix(8);
  } while (!rest.empty());
  return out;
}

}  // namespace opz::telemetry

#include "secrets/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace opz::secrets {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(SecretBoxTest, CreatesKeyFileWithMode0600AndReopensTheSameKey) {
  testing::TempDir dir;
  const std::string path = dir.str() + "/secret.key";
  auto box = SecretBox::open_or_create(path);
  ASSERT_TRUE(box.ok()) << box.error().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string key_text = read_file(path);
  EXPECT_EQ(key_text.size(), 45u);  // 44 base64 characters and a newline

  auto sealed = box->seal("ghp_secret-token");
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(sealed->starts_with("v1:"));
  EXPECT_EQ(sealed->find("ghp_secret"), std::string::npos);

  auto again = SecretBox::open_or_create(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(read_file(path), key_text) << "an existing key is never replaced";
  auto opened = again->open(*sealed);
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  EXPECT_EQ(*opened, "ghp_secret-token");
}

TEST(SecretBoxTest, SealingTwiceGivesDifferentTextsThatBothOpen) {
  auto box = SecretBox::from_key(std::string(32, 'k'));
  ASSERT_TRUE(box.ok());
  auto a = box->seal("same");
  auto b = box->seal("same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(*box->open(*a), "same");
  EXPECT_EQ(*box->open(*b), "same");
  auto empty = box->seal("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*box->open(*empty), "");
}

TEST(SecretBoxTest, AnotherKeyOrAnAlteredTextDoesNotOpen) {
  auto box = SecretBox::from_key(std::string(32, 'a'));
  auto other = SecretBox::from_key(std::string(32, 'b'));
  ASSERT_TRUE(box.ok() && other.ok());
  auto sealed = box->seal("webhook-secret");
  ASSERT_TRUE(sealed.ok());
  auto wrong_key = other->open(*sealed);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong_key.error().message.find("webhook-secret"), std::string::npos);

  std::string altered = *sealed;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  auto tampered = box->open(altered);
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().code, ErrorCode::kUnauthenticated);
}

TEST(SecretBoxTest, RejectsTextThatIsNotASealedSecret) {
  auto box = SecretBox::from_key(std::string(32, 'a'));
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->open("plain").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(box->open("v1:***").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(box->open("v1:AAAA").error().code, ErrorCode::kMalformed);  // too short
}

TEST(SecretBoxTest, RejectsBadKeys) {
  EXPECT_EQ(SecretBox::from_key("short").error().code, ErrorCode::kValidation);
  testing::TempDir dir;
  const std::string small = dir.write("small.key", "AAAA\n");
  ::chmod(small.c_str(), 0600);
  EXPECT_EQ(SecretBox::open_or_create(small).error().code, ErrorCode::kValidation);
  const std::string garbage = dir.write("garbage.key", "not base64 at all!\n");
  ::chmod(garbage.c_str(), 0600);
  EXPECT_FALSE(SecretBox::open_or_create(garbage).ok());

  const std::string path = dir.str() + "/open.key";
  ASSERT_TRUE(SecretBox::open_or_create(path).ok());
  ::chmod(path.c_str(), 0644);
  auto readable = SecretBox::open_or_create(path);
  ASSERT_FALSE(readable.ok());
  EXPECT_EQ(readable.error().code, ErrorCode::kForbidden);
  EXPECT_NE(readable.error().message.find("chmod 600"), std::string::npos);

  EXPECT_EQ(SecretBox::open_or_create(dir.str() + "/missing/dir/secret.key").error().code,
            ErrorCode::kInternal);
}

}  // namespace
}  // namespace opz::secrets

// The request-head checks without sockets: every refusal of the table in http_limits.h,
// the requests that must still pass, and when 100 Continue is due.
#include "reference-server/http_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace stampede::server {
namespace {

RequestHead good_head() {
  RequestHead head;
  head.version = 11;
  head.target = "/api/coupon/grab";
  head.field_count = 3;
  head.host_count = 1;
  head.has_content_length = true;
  head.content_length = 40;
  return head;
}

int status_of(const RequestHead& head, const RequestLimits& limits = {}) {
  const HeadCheck check = check_head(head, limits);
  return check.refusal ? check.refusal->status : 0;
}

TEST(CheckHead, AnOrdinaryRequestPasses) {
  const HeadCheck check = check_head(good_head(), {});
  EXPECT_FALSE(check.refusal);
  EXPECT_FALSE(check.send_continue);
}

TEST(CheckHead, Http11NeedsExactlyOneHost) {
  RequestHead head = good_head();
  head.host_count = 0;
  const HeadCheck missing = check_head(head, {});
  ASSERT_TRUE(missing.refusal);
  EXPECT_EQ(missing.refusal->status, 400);
  EXPECT_EQ(missing.refusal->error, "bad request");
  EXPECT_NE(missing.refusal->detail.find("Host"), std::string::npos);
  head.host_count = 2;
  EXPECT_EQ(status_of(head), 400);
  head.version = 10;
  head.host_count = 0;
  EXPECT_EQ(status_of(head), 0);  // HTTP/1.0 has no Host requirement
  head.host_count = 2;
  EXPECT_EQ(status_of(head), 400);
}

TEST(CheckHead, TargetAndFieldLimits) {
  RequestLimits limits;
  limits.max_target_bytes = 10;
  limits.max_header_fields = 3;
  RequestHead head = good_head();
  const std::string exactly(10, 'a');
  const std::string over(11, 'a');
  head.target = exactly;
  EXPECT_EQ(status_of(head, limits), 0);
  head.target = over;
  const HeadCheck long_target = check_head(head, limits);
  ASSERT_TRUE(long_target.refusal);
  EXPECT_EQ(long_target.refusal->status, 414);
  EXPECT_EQ(long_target.refusal->detail, "limit is 10 bytes");
  head.target = exactly;
  head.field_count = 4;
  const HeadCheck fields = check_head(head, limits);
  ASSERT_TRUE(fields.refusal);
  EXPECT_EQ(fields.refusal->status, 431);
  EXPECT_EQ(fields.refusal->detail, "limit is 3 fields");
}

TEST(CheckHead, ContentLengthOverTheBodyLimitIs413BeforeTheBody) {
  RequestLimits limits;
  limits.max_body_bytes = 100;
  RequestHead head = good_head();
  head.content_length = 100;
  EXPECT_EQ(status_of(head, limits), 0);
  head.content_length = 101;
  EXPECT_EQ(status_of(head, limits), 413);
  head.content_length = UINT64_MAX;
  EXPECT_EQ(status_of(head, limits), 413);
}

TEST(CheckHead, TransferEncodingChunkedOnly) {
  RequestHead head = good_head();
  head.has_content_length = false;
  head.content_length = 0;
  head.has_transfer_encoding = true;
  head.transfer_encoding = "chunked";
  EXPECT_EQ(status_of(head), 0);
  head.transfer_encoding = " Chunked ";
  EXPECT_EQ(status_of(head), 0);
  head.transfer_encoding = "gzip, chunked";  // a coding we cannot undo
  EXPECT_EQ(status_of(head), 501);
  for (const char* value : {"gzip", "chunked, gzip", "chunked, chunked", "", " , "}) {
    head.transfer_encoding = value;
    EXPECT_EQ(status_of(head), 400) << "'" << value << "'";
  }
  head.transfer_encoding = "chunked";
  head.has_content_length = true;  // both framings: a smuggling attempt
  EXPECT_EQ(status_of(head), 400);
  head.has_content_length = false;
  head.version = 10;
  EXPECT_EQ(status_of(head), 400);
}

TEST(CheckHead, Expect100ContinueWhenABodyFollows) {
  RequestHead head = good_head();
  head.has_expect = true;
  head.expect = "100-continue";
  EXPECT_TRUE(check_head(head, {}).send_continue);
  head.expect = "100-Continue";
  EXPECT_TRUE(check_head(head, {}).send_continue);
  head.content_length = 0;  // nothing to wait for
  EXPECT_FALSE(check_head(head, {}).send_continue);
  EXPECT_FALSE(check_head(head, {}).refusal);
  head.has_content_length = false;
  head.has_transfer_encoding = true;
  head.transfer_encoding = "chunked";
  EXPECT_TRUE(check_head(head, {}).send_continue);
  head.version = 10;  // RFC 9110: ignored in HTTP/1.0
  head.has_transfer_encoding = false;
  head.has_content_length = true;
  head.content_length = 5;
  EXPECT_FALSE(check_head(head, {}).send_continue);
}

TEST(CheckHead, ABodyTooLargeIsRefusedInsteadOfContinued) {
  RequestLimits limits;
  limits.max_body_bytes = 10;
  RequestHead head = good_head();
  head.content_length = 11;
  head.has_expect = true;
  head.expect = "100-continue";
  const HeadCheck check = check_head(head, limits);
  ASSERT_TRUE(check.refusal);
  EXPECT_EQ(check.refusal->status, 413);
  EXPECT_FALSE(check.send_continue);
}

TEST(CheckHead, UnknownExpectationIs417) {
  RequestHead head = good_head();
  head.has_expect = true;
  head.expect = "something-else";
  EXPECT_EQ(status_of(head), 417);
  head.expect = "100-continue, foo";
  EXPECT_EQ(status_of(head), 417);
  head.version = 10;
  EXPECT_EQ(status_of(head), 0);
}

TEST(OversizedHead, LongTargetIs414ElseHeaderFieldsAre431) {
  RequestLimits limits;
  limits.max_target_bytes = 8;
  limits.max_header_bytes = 64;
  EXPECT_EQ(oversized_head("/aaaaaaaa", limits).status, 414);
  const Refusal fields = oversized_head("/short", limits);
  EXPECT_EQ(fields.status, 431);
  EXPECT_EQ(fields.detail, "limit is 64 bytes");
}

TEST(TargetInRequestLine, FindsTheTargetOfAPartialLine) {
  EXPECT_EQ(target_in_request_line("GET /a/b HTTP/1.1\r\n"), "/a/b");
  EXPECT_EQ(target_in_request_line("GET /a/bbbbbbb"), "/a/bbbbbbb");
  EXPECT_EQ(target_in_request_line("GET"), "");
  EXPECT_EQ(target_in_request_line(""), "");
}

TEST(BadVersion, AnHttpVersionIs505GarbageIs400) {
  EXPECT_EQ(bad_version("GET /health HTTP/2.0\r\nHost: x\r\n").status, 505);
  EXPECT_EQ(bad_version("GET /health HTTP/0.9\r\n").status, 505);
  EXPECT_EQ(bad_version("GET /health  HTTP/3.0").status, 505);
  EXPECT_EQ(bad_version("GET /he alth HTTP/1.1\r\n").status, 400);  // the target is the problem
  EXPECT_EQ(bad_version("GET /health HTTP/x.1\r\n").status, 400);
  EXPECT_EQ(bad_version("GET /health HTTP/11\r\n").status, 400);
  EXPECT_EQ(bad_version("GET /health\r\n").status, 400);
  EXPECT_EQ(bad_version("GET").status, 400);
}

}  // namespace
}  // namespace stampede::server

// The HTTP front without sockets (HttpServer::HandleRaw) and over loopback
// sockets: limits, the access guard, the no-throw error path, the
// connection queue and the bind options.
#include "server/http_front.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "server/http_util.h"

namespace rackforge::server {
namespace {

using nlohmann::json;

std::unique_ptr<HttpServer> MakeServer(HttpLimits limits = {}, HttpGuard guard = {"127.0.0.1", ""}) {
  auto http = std::make_unique<HttpServer>(limits, guard);
  http->Get("/api/echo/([^/]+)", [](const httplib::Request& req, httplib::Response& res) {
    SendJson(res, 200, {{"id", req.matches[1].str()}});
  });
  http->Post("/api/throw", [](const httplib::Request&, httplib::Response&) { throw std::runtime_error("boom"); });
  http->Get("/api/throw-json", [](const httplib::Request&, httplib::Response&) {
    (void)json("x").get<int>();  // nlohmann type_error, as a buggy handler might throw
  });
  return http;
}

int StatusOf(const std::string& reply) {
  if (reply.rfind("HTTP/1.1 ", 0) != 0) return -1;
  return std::stoi(reply.substr(9, 3));
}

std::string BodyOf(const std::string& reply) {
  const size_t end = reply.find("\r\n\r\n");
  return end == std::string::npos ? "" : reply.substr(end + 4);
}

TEST(HttpFrontTest, InvalidUtf8PathIsA404WithValidJson) {
  auto http = MakeServer();
  const std::string reply = http->HandleRaw("GET /api/\xff\xfe HTTP/1.1\r\n\r\n");
  EXPECT_EQ(StatusOf(reply), 404) << reply;
  const json body = json::parse(BodyOf(reply));  // valid UTF-8 (U+FFFD) or this throws
  EXPECT_NE(body["error"].get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);
  // Percent-encoded bytes decode to the same invalid UTF-8 and reach a handler.
  const std::string echoed = http->HandleRaw("GET /api/echo/%ff%c3 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(StatusOf(echoed), 200) << echoed;
  EXPECT_TRUE(json::accept(BodyOf(echoed))) << echoed;
}

TEST(HttpFrontTest, HandlerExceptionsAre500AndTheServerGoesOn) {
  auto http = MakeServer();
  std::string reply = http->HandleRaw("POST /api/throw HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(StatusOf(reply), 500);
  EXPECT_EQ(json::parse(BodyOf(reply))["error"], "internal error: boom");
  reply = http->HandleRaw("GET /api/throw-json HTTP/1.1\r\n\r\n");
  EXPECT_EQ(StatusOf(reply), 500);
  EXPECT_EQ(StatusOf(http->HandleRaw("GET /api/echo/a HTTP/1.1\r\n\r\n")), 200);
}

TEST(HttpFrontTest, ApiRepliesCarryNoStoreAndNosniff) {
  auto http = MakeServer();
  for (const std::string request : {"GET /api/echo/a HTTP/1.1\r\n\r\n", "GET /api/none HTTP/1.1\r\n\r\n"}) {
    const std::string reply = http->HandleRaw(request);
    EXPECT_NE(reply.find("Cache-Control: no-store\r\n"), std::string::npos) << reply;
    EXPECT_NE(reply.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos) << reply;
  }
}

TEST(HttpFrontTest, TooManyOrTooLargeHeadersAre431) {
  auto http = MakeServer();
  std::string many = "GET /api/echo/a HTTP/1.1\r\n";
  for (int i = 0; i < 150; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(StatusOf(http->HandleRaw(many + "\r\n")), 431);
  std::string large = "GET /api/echo/a HTTP/1.1\r\n";
  for (int i = 0; i < 20; ++i) large += "X-H" + std::to_string(i) + ": " + std::string(4000, 'v') + "\r\n";
  EXPECT_EQ(StatusOf(http->HandleRaw(large + "\r\n")), 431);
  // 100 headers of 600 bytes (60 KB) are still fine.
  std::string fine = "GET /api/echo/a HTTP/1.1\r\n";
  for (int i = 0; i < 99; ++i) fine += "X-H" + std::to_string(i) + ": " + std::string(600, 'v') + "\r\n";
  EXPECT_EQ(StatusOf(http->HandleRaw(fine + "\r\n")), 200);
}

TEST(HttpFrontTest, HeaderLimitsResetForEachKeptAliveRequest) {
  auto http = MakeServer();
  std::string one = "GET /api/echo/a HTTP/1.1\r\n";
  for (int i = 0; i < 90; ++i) one += "X-H" + std::to_string(i) + ": v\r\n";
  one += "\r\n";
  const std::string reply = http->HandleRaw(one + one + one);
  size_t oks = 0;
  for (size_t at = reply.find("HTTP/1.1 200"); at != std::string::npos; at = reply.find("HTTP/1.1 200", at + 1)) ++oks;
  EXPECT_EQ(oks, 3u) << reply;
}

TEST(HttpFrontTest, WithoutTokenForeignHostOrOriginIs403) {
  auto http = MakeServer();
  // HandleRaw before BindTo: the port is 0, so the server's own Host is "127.0.0.1:0".
  EXPECT_EQ(StatusOf(http->HandleRaw("GET /api/echo/a HTTP/1.1\r\nHost: 127.0.0.1:0\r\n\r\n")), 200);
  EXPECT_EQ(StatusOf(http->HandleRaw("GET /api/echo/a HTTP/1.1\r\nHost: evil.example:0\r\n\r\n")), 403);
  EXPECT_EQ(StatusOf(http->HandleRaw("GET / HTTP/1.1\r\nHost: evil.example:0\r\n\r\n")), 403);
  const std::string text_plain_post =
      "POST /api/throw HTTP/1.1\r\nHost: 127.0.0.1:0\r\nOrigin: http://evil.example\r\n"
      "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}";
  EXPECT_EQ(StatusOf(http->HandleRaw(text_plain_post)), 403);
  EXPECT_EQ(StatusOf(http->HandleRaw("GET /api/echo/a HTTP/1.1\r\nSec-Fetch-Site: cross-site\r\n\r\n")), 403);
  EXPECT_EQ(StatusOf(http->HandleRaw("GET /api/echo/a HTTP/1.1\r\nOrigin: http://localhost:0\r\n\r\n")), 200);
}

TEST(HttpFrontTest, WithTokenTheTokenDecides) {
  auto http = MakeServer({}, {"0.0.0.0", "s3cret"});
  EXPECT_EQ(StatusOf(http->HandleRaw("GET /api/echo/a HTTP/1.1\r\nHost: box.lan:0\r\n\r\n")), 401);
  EXPECT_EQ(
      StatusOf(http->HandleRaw("GET /api/echo/a HTTP/1.1\r\nHost: box.lan:0\r\nAuthorization: Bearer s3cret\r\n\r\n")),
      200);
}

// --- over loopback sockets ---------------------------------------------

class Listening {
 public:
  explicit Listening(HttpLimits limits = {}) : http_(MakeServer(limits)) {
    port_ = http_->BindTo("127.0.0.1", 0).value_or(-1);
    thread_ = std::thread([this] { http_->listen_after_bind(); });
    while (!http_->is_running()) std::this_thread::yield();  // stop() before listening would be lost
  }
  ~Listening() {
    http_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  HttpServer& http() { return *http_; }

 private:
  std::unique_ptr<HttpServer> http_;
  std::thread thread_;
  int port_ = -1;
};

int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

TEST(HttpFrontSocketTest, ASecondServerOnAPortInUseFailsToBind) {
  Listening first;
  ASSERT_GT(first.port(), 0);
  HttpServer second({}, {"127.0.0.1", ""});
  EXPECT_FALSE(second.BindTo("127.0.0.1", first.port()).has_value());
}

TEST(HttpFrontSocketTest, TricklingClientsDoNotStarveOthers) {
  HttpLimits limits;
  limits.threads = 4;
  limits.header_timeout_ms = 60000;  // longer than the client's 20 s receive timeout
  Listening server(limits);
  // Three times as many trickling clients as workers, each stuck in its headers.
  std::vector<int> slow;
  for (int i = 0; i < 12; ++i) {
    const int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    ::send(fd, "GET /api/echo/slow HTTP/1.1\r\nX-A: ", 34, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  // While connections wait for a worker, slow header sections are cut off,
  // so a normal client is answered long before the 60 s header deadline.
  const int fd = Connect(server.port());
  ::send(fd, "GET /api/echo/ok HTTP/1.1\r\nConnection: close\r\n\r\n", 48, MSG_NOSIGNAL);
  const std::string reply = ReadAll(fd);
  EXPECT_EQ(StatusOf(reply), 200) << reply;
  ::close(fd);
  for (const int s : slow) ::close(s);
}

TEST(HttpFrontSocketTest, HeaderDeadlineFreesTheWorker) {
  HttpLimits limits;
  limits.threads = 2;
  limits.header_timeout_ms = 300;
  Listening server(limits);
  std::vector<int> slow;
  for (int i = 0; i < 2; ++i) {
    const int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    ::send(fd, "GET /api/echo/slow HTTP/1.1\r\n", 29, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  // Both workers hold a trickling client; the header deadline ends them (408),
  // after which the next client is served.
  for (const int fd : slow) {
    const std::string reply = ReadAll(fd);
    EXPECT_EQ(StatusOf(reply), 408) << reply;
    ::close(fd);
  }
  const int fd = Connect(server.port());
  ::send(fd, "GET /api/echo/ok HTTP/1.1\r\nConnection: close\r\n\r\n", 48, MSG_NOSIGNAL);
  EXPECT_EQ(StatusOf(ReadAll(fd)), 200);
  ::close(fd);
}

TEST(HttpFrontSocketTest, AFullConnectionQueueAnswers503) {
  HttpLimits limits;
  limits.threads = 2;
  limits.max_queued_connections = 1;
  limits.header_timeout_ms = 2000;
  Listening server(limits);
  // Silent clients: at most 2 on workers and 1 queued at any time, so at
  // least 3 of 6 find the queue full and get 503 at once; the others end
  // with 408 when their headers do not come.
  std::vector<int> clients;
  for (int i = 0; i < 6; ++i) {
    const int fd = Connect(server.port());
    ASSERT_GE(fd, 0);
    clients.push_back(fd);
  }
  int busy = 0;
  for (const int fd : clients) {
    const std::string reply = ReadAll(fd);
    const int status = StatusOf(reply);
    EXPECT_TRUE(status == 503 || status == 408) << reply;
    if (status == 503) {
      ++busy;
      EXPECT_NE(reply.find("server busy"), std::string::npos) << reply;
    }
    ::close(fd);
  }
  EXPECT_GE(busy, 3);
}

TEST(HttpFrontSocketTest, StopIsNotHeldUpByTricklingClients) {
  HttpLimits limits;
  limits.header_timeout_ms = 600000;
  limits.read_timeout_ms = 600000;
  auto server = std::make_unique<Listening>(limits);
  std::vector<int> slow;
  for (int i = 0; i < 3; ++i) {
    const int fd = Connect(server->port());
    ASSERT_GE(fd, 0);
    ::send(fd, "GET /api/echo/slow HTTP/1.1\r\n", 29, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  server.reset();  // stop() and join: the workers leave their reads when the listener closes
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  for (const int fd : slow) ::close(fd);
}

}  // namespace
}  // namespace rackforge::server

#include "server/http_front.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "io/errors.h"
#include "server/http_util.h"

namespace rackforge::server {

namespace {

using Clock = std::chrono::steady_clock;

// The stream every request is read from: a socket (poll + recv with
// timeouts) or, without a socket, a byte string. It enforces the header
// limits itself: cpp-httplib reads the request line and headers one byte
// at a time through read(), so the end of the header section (an empty
// "\r\n" line) is seen exactly here.
class GuardedStream final : public httplib::Stream {
 public:
  // `waiting`: connections queued for a worker; while it is above 0, a
  // request whose headers take longer than kSlowHeaderMs is cut off (408).
  // `listening`: the server's socket; once it is closed (stop()), reads end.
  GuardedStream(int fd, const HttpLimits& limits, const std::atomic<size_t>* waiting,
                const std::atomic<socket_t>* listening)
      : fd_(fd), limits_(limits), waiting_(waiting), listening_(listening) {}
  GuardedStream(std::string_view input, std::string* output, const HttpLimits& limits)
      : limits_(limits), input_(input), output_(output) {}

  // Called before each request of the connection.
  void StartRequest() {
    in_headers_ = true;
    header_bytes_ = 0;
    header_lines_ = 0;
    line_length_ = 0;
    previous_ = 0;
    header_limit_hit_ = false;
    timed_out_ = false;
    wrote_ = false;
    const Clock::time_point now = Clock::now();
    request_start_ = now;
    header_deadline_ = now + std::chrono::milliseconds(limits_.header_timeout_ms);
    request_deadline_ = now + std::chrono::milliseconds(limits_.request_timeout_ms);
  }
  bool header_limit_hit() const { return header_limit_hit_; }
  bool timed_out() const { return timed_out_; }
  bool HasBuffered() const { return begin_ < end_; }
  bool wrote() const { return wrote_; }
  bool AtEnd() const { return !HasBuffered() && input_pos_ >= input_.size(); }

  bool is_readable() const override {
    if (HasBuffered()) return true;
    if (fd_ < 0) return input_pos_ < input_.size();
    return Poll(POLLIN, limits_.read_timeout_ms);
  }
  bool is_writable() const override { return fd_ < 0 || Poll(POLLOUT, limits_.write_timeout_ms); }

  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    if (!HasBuffered()) {
      const ssize_t filled = Fill();
      if (filled <= 0) return filled;
    }
    size_t n = std::min(size, end_ - begin_);
    if (in_headers_) {
      n = 1;
      if (!CountHeaderByte(buffer_[begin_])) return -1;
    }
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    wrote_ = true;
    if (fd_ < 0) {
      output_->append(ptr, size);
      return static_cast<ssize_t>(size);
    }
    if (!Poll(POLLOUT, limits_.write_timeout_ms)) return -1;
    for (;;) {
      const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
      if (n >= 0 || errno != EINTR) return n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { Address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { Address(false, ip, port); }
  socket_t socket() const override { return fd_ < 0 ? INVALID_SOCKET : fd_; }

 private:
  // Tracks the header section; false (and header_limit_hit) past a limit.
  bool CountHeaderByte(char c) {
    if (++header_bytes_ > limits_.max_header_bytes) return HitLimit();
    ++line_length_;
    if (c == '\n') {
      if (line_length_ == 2 && previous_ == '\r') {
        in_headers_ = false;                                    // the empty line: the body (if any) follows
      } else if (header_lines_++ > limits_.max_header_lines) {  // the first line is the request line
        return HitLimit();
      }
      line_length_ = 0;
    }
    previous_ = c;
    return true;
  }
  bool HitLimit() {
    header_limit_hit_ = true;
    return false;
  }

  // Refills the buffer: >0 bytes, 0 at end of input, -1 on error or timeout.
  ssize_t Fill() {
    begin_ = end_ = 0;
    if (fd_ < 0) {
      const size_t n = std::min(sizeof buffer_, input_.size() - input_pos_);
      std::memcpy(buffer_, input_.data() + input_pos_, n);
      input_pos_ += n;
      end_ = n;
      return static_cast<ssize_t>(n);
    }
    if (!WaitReadable()) {
      timed_out_ = true;
      return -1;
    }
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer_, sizeof buffer_, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) end_ = static_cast<size_t>(n);
      return n;
    }
  }

  // Waits (in slices of kSliceMs) until the socket is readable; false on the
  // read timeout, the header or request deadline, stop(), or a slow header section
  // while other connections wait for a worker.
  bool WaitReadable() const {
    const Clock::time_point start = Clock::now();
    const Clock::time_point deadline = std::min(in_headers_ ? header_deadline_ : request_deadline_,
                                                start + std::chrono::milliseconds(limits_.read_timeout_ms));
    for (;;) {
      const Clock::time_point now = Clock::now();
      if (now >= deadline || (listening_ != nullptr && listening_->load() == INVALID_SOCKET)) return false;
      if (in_headers_ && waiting_ != nullptr && waiting_->load() > 0 &&
          now - request_start_ >= std::chrono::milliseconds(kSlowHeaderMs)) {
        return false;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
      if (Poll(POLLIN, static_cast<int>(std::min<long long>(left, kSliceMs)))) return true;
    }
  }

  bool Poll(short events, int timeout_ms) const {
    pollfd p{fd_, events, 0};
    for (;;) {
      const int r = ::poll(&p, 1, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      return r > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
    }
  }

  void Address(bool remote, std::string& ip, int& port) const {
    ip.clear();
    port = 0;
    if (fd_ < 0) return;
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((remote ? ::getpeername(fd_, sa, &len) : ::getsockname(fd_, sa, &len)) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
      port = ntohs(v4->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
      port = ntohs(v6->sin6_port);
    }
    ip = text;
  }

  static constexpr int kSliceMs = 100;
  static constexpr int kSlowHeaderMs = 1000;

  int fd_ = -1;
  const HttpLimits& limits_;
  const std::atomic<size_t>* waiting_ = nullptr;
  const std::atomic<socket_t>* listening_ = nullptr;
  std::string_view input_;
  size_t input_pos_ = 0;
  std::string* output_ = nullptr;
  char buffer_[4096];
  size_t begin_ = 0;
  size_t end_ = 0;
  bool in_headers_ = true;
  size_t header_bytes_ = 0;
  size_t header_lines_ = 0;
  size_t line_length_ = 0;
  char previous_ = 0;
  bool header_limit_hit_ = false;
  bool timed_out_ = false;
  bool wrote_ = false;
  Clock::time_point request_start_{};
  Clock::time_point header_deadline_{};
  Clock::time_point request_deadline_{};
};

// The stream of the request being handled on this thread (for the error
// handler, which cpp-httplib calls without it).
thread_local const GuardedStream* t_current_stream = nullptr;
// Set while the accept thread hands over a connection the full queue cannot take.
thread_local bool t_reject_connection = false;

// A fixed pool of workers with a bounded queue of accepted connections.
// When the queue is full the connection is answered 503 on the accepting
// thread (a few bytes, never blocking) and closed.
class BoundedPool final : public httplib::TaskQueue {
 public:
  // `waiting` mirrors the queue length for the connections' streams.
  BoundedPool(size_t threads, size_t max_queued, std::shared_ptr<std::atomic<size_t>> waiting)
      : max_queued_(max_queued), waiting_(std::move(waiting)) {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~BoundedPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.size() < max_queued_ && !stopping_) {
        queue_.push_back(std::move(fn));
        waiting_->store(queue_.size());
        ready_.notify_one();
        return;
      }
    }
    t_reject_connection = true;
    fn();
    t_reject_connection = false;
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ && workers_.empty()) return;
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping and drained
        fn = std::move(queue_.front());
        queue_.pop_front();
        waiting_->store(queue_.size());
      }
      fn();
    }
  }

  const size_t max_queued_;
  const std::shared_ptr<std::atomic<size_t>> waiting_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

// A complete "Connection: close" JSON error reply, for the cases where
// cpp-httplib writes none (connection refused for a full queue, request line
// cut off).
std::string ClosingReply(int status, std::string_view reason, std::string_view message) {
  const std::string body = "{\"error\":\"" + std::string(message) + "\"}";
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close"
         "\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string& BusyReply() {
  static const std::string reply =
      ClosingReply(503, "Service Unavailable", "server busy: too many connections waiting");
  return reply;
}
const std::string& TimeoutReply() {
  static const std::string reply = ClosingReply(408, "Request Timeout", "request headers did not arrive in time");
  return reply;
}
const std::string& TooLargeReply() {
  static const std::string reply =
      ClosingReply(431, "Request Header Fields Too Large", "request headers are too large or too many");
  return reply;
}

std::string SizeText(size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

std::string DefaultMessage(int status, const httplib::Request& req, const HttpLimits& limits) {
  switch (status) {
    case 400:
      return "bad request";
    case 401:
      return "missing or wrong bearer token";
    case 403:
      return "forbidden";
    case 404:
      return "not found: " + req.method + " " + req.path;
    case 405:
      return "method not allowed: " + req.method + " " + req.path;
    case 408:
      return "request headers did not arrive in time";
    case 413:
      // cpp-httplib caps form-encoded bodies at 8 KiB (compiled in).
      return "request body is larger than the limit of " +
             (req.get_header_value("Content-Type") == "application/x-www-form-urlencoded"
                  ? std::string("8 KiB for application/x-www-form-urlencoded (send application/json)")
                  : SizeText(limits.max_body_bytes));
    case 414:
      return "request URI is too long";
    case 431:
      return "request headers are too large or too many";
    default:
      return "HTTP " + std::to_string(status);
  }
}

// Sends a JSON error and never throws (the last resort is a fixed body).
void SendError(httplib::Response& res, int status, const std::string& message) noexcept {
  try {
    SendJson(res, status, {{"error", message}});
  } catch (...) {
    res.status = status;
    res.body = "{\"error\":\"internal error\"}";
  }
}

// The requests of one connection: up to `max_count`, each after
// `next_request()` says one is there (not asked before the first), each run
// by `process(stream, last, closed)`. Returns false when the last one failed.
template <class NextRequest, class Process>
bool ServeRequests(GuardedStream& stream, size_t max_count, NextRequest next_request, Process process) {
  bool ok = true;
  for (size_t left = max_count; left > 0; --left) {
    if (left != max_count && !next_request()) break;
    stream.StartRequest();
    bool closed = false;
    t_current_stream = &stream;
    ok = process(stream, left == 1, closed);
    t_current_stream = nullptr;
    const bool cut_off = stream.timed_out() || stream.header_limit_hit();
    if (!ok && cut_off && !stream.wrote()) {
      // The request line itself was cut off: cpp-httplib answers nothing then.
      const std::string& reply = stream.timed_out() ? TimeoutReply() : TooLargeReply();
      (void)stream.write(reply.data(), reply.size());
    }
    if (!ok || closed || cut_off) break;
  }
  return ok;
}

}  // namespace

HttpServer::HttpServer(HttpLimits limits, HttpGuard guard) : limits_(limits), guard_(std::move(guard)) {
  const size_t threads = std::max<size_t>(2, limits_.threads);
  const size_t queued = limits_.max_queued_connections;
  new_task_queue = [threads, queued, waiting = waiting_] { return new BoundedPool(threads, queued, waiting); };
  set_payload_max_length(limits_.max_body_bytes);
  set_keep_alive_max_count(limits_.keep_alive_max_count);
  set_keep_alive_timeout(std::max(1, limits_.keep_alive_timeout_ms / 1000));
  set_tcp_nodelay(true);
  set_socket_options([](socket_t sock) {
    // SO_REUSEADDR only: a restart may bind over TIME_WAIT connections, but
    // a second server on a port in use fails (SO_REUSEPORT, cpp-httplib's
    // default, lets both listen and share the connections).
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  InstallHandlers();
}

HttpServer::~HttpServer() = default;

void HttpServer::InstallHandlers() {
  set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const bool api = IsApiPath(req.path);
    if (!guard_.token.empty()) {
      if (!api || BearerTokenMatches(req.get_header_value("Authorization"), guard_.token)) {
        return HandlerResponse::Unhandled;
      }
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, 401, DefaultMessage(401, req, limits_));
      return HandlerResponse::Handled;
    }
    const auto refusal = CrossSiteRefusal(req.get_header_value("Host"), req.get_header_value("Origin"),
                                          req.get_header_value("Sec-Fetch-Site"), api, guard_.host, port_.load());
    if (!refusal) return HandlerResponse::Unhandled;
    SendError(res, 403, *refusal);
    return HandlerResponse::Handled;
  });
  set_error_handler(HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return HandlerResponse::Unhandled;
    if (res.status == 400 && t_current_stream != nullptr) {
      if (t_current_stream->header_limit_hit()) res.status = 431;
      if (t_current_stream->timed_out()) res.status = 408;
    }
    try {
      SendError(res, res.status, DefaultMessage(res.status, req, limits_));
    } catch (...) {
      SendError(res, res.status, "HTTP error");
    }
    return HandlerResponse::Handled;
  }));
  set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    // Bad input (common::UsageError from the request parsers, io::LoadError) is
    // a 400 with its message; anything else is a bug: a 500, never a crash.
    try {
      std::rethrow_exception(ep);
    } catch (const common::UsageError& e) {
      SendError(res, 400, e.what());
    } catch (const io::LoadError& e) {
      SendError(res, 400, e.what());
    } catch (const std::exception& e) {
      SendError(res, 500, std::string("internal error: ") + e.what());
      LogError(req.method + " " + req.path + ": " + e.what());
    } catch (...) {
      SendError(res, 500, "internal error");
      LogError(req.method + " " + req.path + ": unknown exception");
    }
  });
}

std::optional<int> HttpServer::BindTo(const std::string& host, int port) {
  const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return std::nullopt;
  // cpp-httplib listens with a backlog of 5 (compiled in); a second listen()
  // on the bound socket only raises it.
  ::listen(svr_sock_.load(), limits_.listen_backlog);
  port_ = bound;
  return bound;
}

void HttpServer::LogError(const std::string& message) const noexcept {
  try {
    if (error_log_) error_log_(message);
  } catch (...) {  // a failing log must not take the reply down
  }
}

bool HttpServer::ProcessOne(httplib::Stream& stream, bool last, bool& closed) {
  try {
    return process_request(stream, last, closed, nullptr);
  } catch (...) {
    return false;  // handlers do not throw; if the library does, drop the connection
  }
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  if (t_reject_connection) {
    (void)::send(sock, BusyReply().data(), BusyReply().size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return false;
  }
  const int yes = 1;
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  GuardedStream stream(sock, limits_, waiting_.get(), &svr_sock_);
  const auto next_request = [&] {
    // Waits for the next request in short slices so that stop() is seen; a
    // connection idle for 200 ms gives its worker up when others wait.
    if (stream.HasBuffered()) return true;
    for (int waited = 0; waited < limits_.keep_alive_timeout_ms; waited += 100) {
      if (svr_sock_.load() == INVALID_SOCKET || (waited >= 200 && waiting_->load() > 0)) return false;
      pollfd p{sock, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) return true;
    }
    return false;
  };
  const bool ok =
      ServeRequests(stream, limits_.keep_alive_max_count, next_request,
                    [this](httplib::Stream& s, bool last, bool& closed) { return ProcessOne(s, last, closed); });
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

std::string HttpServer::HandleRaw(std::string_view request_bytes) {
  std::string out;
  GuardedStream stream(request_bytes, &out, limits_);
  ServeRequests(
      stream, limits_.keep_alive_max_count, [&stream] { return !stream.AtEnd(); },
      [this](httplib::Stream& s, bool last, bool& closed) { return ProcessOne(s, last, closed); });
  return out;
}

}  // namespace rackforge::server

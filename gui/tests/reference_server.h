// A real stampede-server for the end-to-end Live tests: started on 127.0.0.1 with a free
// port from 18500-18599 and its SQLite data in a temporary folder, stopped (SIGTERM to its
// PID, then SIGKILL) when destroyed. Available when the build has reference-server/
// (STAMPEDE_SERVER_EXE); otherwise url() is empty and the tests skip.
#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <string>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stampede::gui::testing {

// The engine and server built with these tests, "" when the build does not have them.
inline QString engine_exe() {
#ifdef STAMPEDE_ENGINE_EXE
  return QStringLiteral(STAMPEDE_ENGINE_EXE);
#else
  return {};
#endif
}

inline QString server_exe() {
#ifdef STAMPEDE_SERVER_EXE
  return QStringLiteral(STAMPEDE_SERVER_EXE);
#else
  return {};
#endif
}

// A port in [first, last] nobody listens on now (bind test on 127.0.0.1), or 0.
inline int free_port(int first = 18500, int last = 18599) {
  for (int port = first; port <= last; ++port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (ok) return port;
  }
  return 0;
}

class ReferenceServer {
 public:
  // Starts the server and waits (up to `timeout_ms`, it seeds its data set first) for its
  // "listening on http://127.0.0.1:<port>" line. error() says why when url() is empty.
  explicit ReferenceServer(int timeout_ms = 120000) {
    if (server_exe().isEmpty()) {
      error_ = QStringLiteral("stampede-server is not in this build");
      return;
    }
    for (int attempt = 0; attempt < 3 && url_.isEmpty(); ++attempt) {
      const int port = free_port();
      if (port == 0) {
        error_ = QStringLiteral("no free port in 18500-18599");
        return;
      }
      process_.setProcessChannelMode(QProcess::MergedChannels);
      process_.start(server_exe(), {QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                                    QString::number(port), QStringLiteral("--data"), data_.path() + QStringLiteral("/data"),
                                    QStringLiteral("--threads"), QStringLiteral("1")});
      static const QRegularExpression listening(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)\\n"));
      QElapsedTimer timer;
      timer.start();
      while (timer.elapsed() < timeout_ms && process_.state() != QProcess::NotRunning) {
        process_.waitForReadyRead(200);
        log_ += QString::fromLocal8Bit(process_.readAll());
        if (const auto m = listening.match(log_); m.hasMatch()) {
          url_ = m.captured(1);
          break;
        }
      }
      if (url_.isEmpty()) {
        error_ = QStringLiteral("stampede-server did not listen on port %1: %2").arg(port).arg(log_);
        stop();
      }
    }
  }
  ~ReferenceServer() { stop(); }
  ReferenceServer(const ReferenceServer&) = delete;
  ReferenceServer& operator=(const ReferenceServer&) = delete;

  const QString& url() const { return url_; }
  const QString& error() const { return error_; }

 private:
  void stop() {
    if (process_.state() == QProcess::NotRunning) return;
    process_.terminate();  // SIGTERM to this PID only
    if (!process_.waitForFinished(5000)) {
      process_.kill();
      process_.waitForFinished(2000);
    }
  }

  QTemporaryDir data_;
  QProcess process_;
  QString url_, log_, error_;
};

// End to end: a real stampede-server (started here on a free port in 18500-18599, stopped
// by PID) and the real engine, both from this build; or STAMPEDE_GUI_E2E="<stampede>
// <http://127.0.0.1:port>" to use ones you started. Skips when neither is there.
struct EndToEnd {
  QString engine, host;
  std::string skip_reason, error;  // not in this build / could not start the server
  std::unique_ptr<ReferenceServer> server;
};

inline EndToEnd end_to_end() {
  EndToEnd e;
  const QStringList env =
      QString::fromLocal8Bit(qgetenv("STAMPEDE_GUI_E2E")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
  if (env.size() == 2) {
    e.engine = env[0];
    e.host = env[1];
    return e;
  }
  if (engine_exe().isEmpty() || server_exe().isEmpty()) {
    e.skip_reason = "this build has no stampede / stampede-server (add generator;reference-server to STAMPEDE_FOLDERS)";
    return e;
  }
  e.engine = engine_exe();
  e.server = std::make_unique<ReferenceServer>();
  e.host = e.server->url();
  if (e.host.isEmpty()) e.error = e.server->error().toStdString();
  return e;
}

}  // namespace stampede::gui::testing

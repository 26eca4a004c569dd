// Deliberate data races through each of Qt's hand-overs that tests/sanitizers/tsan.supp quiets
// (a queued functor, a queued signal, a QThreadPool task): tsan_canary_test.sh checks that
// ThreadSanitizer still reports every one, so the suppressions provably hide Qt's delivery and
// not a race in the code it delivers to. Built by the tsan preset only.
#include <QCoreApplication>
#include <QMetaObject>
#include <QObject>
#include <QSemaphore>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <cstdio>

namespace {

// Written by two threads with nothing ordering the writes: each is a real race.
int lambdaShared = 0;
int slotShared = 0;
int pooledShared = 0;

// Each racing write sits in a function of its own, named in the report's stack.
__attribute__((noinline)) void raceInQueuedLambda(int value) { lambdaShared = value; }
__attribute__((noinline)) void raceInQueuedSlot(int value) { slotShared = value; }
__attribute__((noinline)) void raceInPooledTask(int value) { pooledShared = value; }

class Receiver : public QObject {
  Q_OBJECT
 public:
  QSemaphore done;
  void onValue(int value) {
    raceInQueuedSlot(value);
    done.release();
  }
};

class Sender : public QObject {
  Q_OBJECT
 Q_SIGNALS:
  void value(int);
};

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QThread worker;
  Receiver receiver;
  receiver.moveToThread(&worker);
  Sender sender;
  QObject::connect(&sender, &Sender::value, &receiver, &Receiver::onValue, Qt::QueuedConnection);
  worker.start();

  // The worker writes through each hand-over while the main thread writes the same variable; the
  // semaphores only keep the process alive until the worker has written (the main thread's write
  // comes before its acquire, so nothing orders the two writes).
  QSemaphore lambdaDone;
  QMetaObject::invokeMethod(&receiver, [&lambdaDone] { raceInQueuedLambda(1); lambdaDone.release(); },
                            Qt::QueuedConnection);
  raceInQueuedLambda(2);
  lambdaDone.acquire();

  Q_EMIT sender.value(1);
  raceInQueuedSlot(2);
  receiver.done.acquire();

  QSemaphore pooledDone;
  QThreadPool::globalInstance()->start([&pooledDone] { raceInPooledTask(1); pooledDone.release(); });
  raceInPooledTask(2);
  pooledDone.acquire();

  worker.quit();
  worker.wait();
  QThreadPool::globalInstance()->waitForDone();
  std::printf("%d %d %d\n", lambdaShared, slotShared, pooledShared);
  return 0;
}

#include "tsan_canary.moc"

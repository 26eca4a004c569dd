// The table of experiment fields: it covers every key of the spec JSON, and --set, JSON and
// validation built on it accept and refuse what they should.

#include "core/errors.h"
#include "core/results/spec_json.h"
#include "core/train/spec_fields.h"
#include "support/checks.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <set>

using namespace genlab;
using namespace genlab::train;
using nlohmann::json;

namespace {

/// Every leaf of a JSON object as a dotted path.
void leaves(const json& object, const std::string& prefix, std::set<std::string>& out) {
  for (const auto& [key, value] : object.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object()) leaves(value, path, out);
    else out.insert(path);
  }
}

/// The message of the InputError `f` throws ("no exception" when it throws none).
std::string errorOf(const std::function<void()>& f) { return test::messageOf<InputError>(f); }

} // namespace

class TestSpecFields : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void tableCoversEverySpecKeyOnce() {
    std::set<std::string> paths;
    for (const auto& field : specFields()) {
      QVERIFY2(paths.insert(std::string(field.path)).second, std::string(field.path).c_str());
      QVERIFY(field.get != nullptr && field.set != nullptr);
      QVERIFY2(!field.help.empty() && !field.label.empty(), std::string(field.path).c_str());
      QVERIFY(field.type != FieldType::Choice || (field.choices && !field.choices().empty()));
    }
    std::set<std::string> written;
    const ExperimentSpec defaults;
    leaves(results::toJson(defaults), "", written);
    QCOMPARE(written, paths);
  }

  void everyFieldRoundTripsThroughItsSetter() {
    ExperimentSpec spec;
    spec.model.width = 77;
    spec.optimizer.kind = Optimizer::Adam;
    spec.settings = {corruption::Setting::partialLabels(0.3)};
    spec.data.synthetic.shape = {3, 9, 9};
    for (const auto& field : specFields()) {
      ExperimentSpec copy;
      setField(copy, field, field.get(spec), "test");
      QCOMPARE(field.get(copy), field.get(spec));
    }
  }

  void setParsesEachTypeFromText() {
    ExperimentSpec spec;
    applyAssignment(spec, "model.width=1024");
    QCOMPARE(spec.model.width, int64_t{1024});
    applyAssignment(spec, "optimizer.weight_decay=5e-4");
    QCOMPARE(spec.optimizer.weightDecay, 5e-4);
    applyAssignment(spec, "optimizer.kind=adam");
    QCOMPARE(spec.optimizer.kind, Optimizer::Adam);
    applyAssignment(spec, "model.batch_norm=on");
    QVERIFY(spec.model.batchNorm);
    applyAssignment(spec, "settings=true, labels:0.2,random-labels");
    QCOMPARE(spec.settings.size(), size_t{3});
    QCOMPARE(spec.settings[1], corruption::Setting::partialLabels(0.2));
    applyAssignment(spec, "sweep_levels=[0, 0.5, 1]");
    QCOMPARE(spec.sweepLevels, (std::vector<double>{0, 0.5, 1}));
    applyAssignment(spec, "data.synthetic.shape=3x16x8");
    QCOMPARE(spec.data.synthetic.shape, (data::ImageShape{3, 16, 8}));
    applyAssignment(spec, "seed=18446744073709551615");
    QCOMPARE(spec.seed, uint64_t{18446744073709551615u});
    applyAssignment(spec, "name=a=b");  // only the first '=' separates
    QCOMPARE(spec.name, std::string("a=b"));
    // The closed-form models' fields (Section 5).
    applyAssignment(spec, "model.architecture=random-features");
    QVERIFY(spec.model.architecture == models::Architecture::RandomFeatures);
    applyAssignment(spec, "model.kernel=arccos");
    QVERIFY(spec.model.kernel == closed_form::KernelKind::ArcCos);
    applyAssignment(spec, "model.bandwidth=9.5");
    QCOMPARE(spec.model.bandwidth, 9.5);
    applyAssignment(spec, "model.features=2500");
    QCOMPARE(spec.model.features, int64_t{2500});
    QCOMPARE(models::describe(spec.model), std::string("random ReLU features, N = 2500"));
    applyAssignment(spec, "model.kernel=rbf");
    QCOMPARE(models::describe(spec.model), std::string("random Fourier features, N = 2500 (bandwidth 9.5)"));
    applyAssignment(spec, "model.architecture=kernel");
    applyAssignment(spec, "model.bandwidth=0");
    QCOMPARE(models::describe(spec.model), std::string("RBF kernel interpolation (bandwidth from the data)"));
  }

  void setRefusesWithOneClearMessage_data() {
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no equals") << "model.width" << "is not PATH=VALUE";
    QTest::newRow("unknown, with a suggestion") << "model.widht=3" << "(did you mean model.width?)";
    QTest::newRow("a group") << "model=3" << "'model' is not a field";
    QTest::newRow("not an integer") << "model.width=wide" << "'wide' is not an integer";
    QTest::newRow("a fraction for an integer") << "training.epochs=2.5" << "is not an integer";
    QTest::newRow("not a number") << "optimizer.momentum=lots" << "is not a number";
    QTest::newRow("infinite") << "optimizer.learning_rate=inf" << "is not a number";
    QTest::newRow("unknown choice") << "optimizer.kind=rmsprop" << "is not one of sgd, adam";
    QTest::newRow("unknown kernel") << "model.kernel=laplace" << "is not one of rbf, arccos";
    QTest::newRow("bad flag") << "model.batch_norm=maybe" << "is not on or off";
    QTest::newRow("bad setting") << "settings=true,noise" << "unknown corruption setting 'noise'";
    QTest::newRow("bad shape") << "data.synthetic.shape=3x32" << "is not a shape";
    QTest::newRow("negative seed") << "seed=-1" << "is not a non-negative integer";
    QTest::newRow("int overflow") << "compute.threads=99999999999" << "too large";
  }
  void setRefusesWithOneClearMessage() {
    QFETCH(QString, assignment);
    QFETCH(QString, expected);
    ExperimentSpec spec;
    const std::string message = errorOf([&] { applyAssignment(spec, assignment.toStdString()); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
  }

  // A spec is written as JSON, which holds UTF-8 only: other bytes are refused when set, not when
  // spec.json is written (found by fuzzing the command line: tests/fuzz/regressions/options).
  void textThatIsNotUtf8IsRefused() {
    ExperimentSpec spec;
    for (const char* bad : {"caf\xe9", "\xff", "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* a surrogate */,
                            "\xf4\x90\x80\x80" /* past U+10FFFF */, "ends in \xe2\x82"}) {
      const std::string message = errorOf([&] { applyAssignment(spec, std::string("name=") + bad); });
      QVERIFY2(message.find("'name' must be UTF-8 text") != std::string::npos, message.c_str());
    }
    for (const char* good : {"caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xbf\xbd"}) {
      applyAssignment(spec, std::string("name=") + good);
      QCOMPARE(spec.name, std::string(good));
    }
  }

  void boundsComeFromTheTable_data() {
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("expected");
    QTest::newRow("open lower bound") << "optimizer.learning_rate=0" << "learning rate 0 must be a positive number (optimizer.learning_rate)";
    QTest::newRow("closed lower bound") << "optimizer.weight_decay=-1" << "weight decay -1 must not be negative";
    QTest::newRow("at least 1") << "regularizers.patience=0" << "early-stopping patience 0 must be at least 1 (regularizers.patience)";
    QTest::newRow("half-open interval") << "model.dropout=1" << "dropout 1 is outside [0, 1)";
    QTest::newRow("open interval") << "regularizers.validation_fraction=1" << "validation fraction 1 is outside (0, 1)";
    QTest::newRow("closed interval") << "data.synthetic.classes=1" << "synthetic class count 1 is outside [2, 1000]";
    QTest::newRow("shape") << "data.synthetic.shape=0x4x4" << "synthetic image shape 0x4x4 is outside [1, 2048]";
    QTest::newRow("huge image") << "data.synthetic.shape=3x4096x4096" << "is outside [1, 2048]";
    QTest::newRow("width") << "model.width=2000000" << "MLP width 2000000 is outside [1, 1000000]";
    QTest::newRow("batch") << "training.batch_size=100000" << "batch size 100000 is outside [1, 65536]";
    QTest::newRow("threads") << "compute.threads=5000" << "thread count 5000 is outside [0, 1024]";
    // Each field in range, the whole beyond memory: estimated before anything is allocated.
    QTest::newRow("parameters of a wide, deep MLP")
        << "model.width=1000000" << "MLP of depth 1 and width 1000000 on 1x28x28 images has 7.95e+08 parameters; the most is 5e+08 (model.depth, model.width)";
  }
  void boundsComeFromTheTable() {
    QFETCH(QString, assignment);
    QFETCH(QString, expected);
    ExperimentSpec spec;
    applyAssignment(spec, assignment.toStdString());  // --set takes it; validate refuses it
    const std::string message = errorOf([&] { validate(spec); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    // The value at a bound that is included passes.
    const ExperimentSpec defaults;
    QCOMPARE(errorOf([&] { validate(defaults); }), std::string("no exception"));
  }

  void syntheticDataBeyondMemoryIsRefused() {
    ExperimentSpec spec;
    applyAssignment(spec, "data.dataset=synthetic");
    applyAssignment(spec, "data.synthetic.shape=3x1024x1024");
    applyAssignment(spec, "data.synthetic.train_size=10000");
    const std::string message = errorOf([&] { validate(spec); });
    QVERIFY2(message.find("a synthetic data set of ") == 0 &&
                 message.find(" images of 3x1024x1024 takes ") != std::string::npos &&
                 message.find(" GiB; the most is 8 GiB") != std::string::npos,
             message.c_str());
  }

  void seedsBeyond64BitsAreRefused() {
    ExperimentSpec spec;
    const std::string text = errorOf([&] { applyAssignment(spec, "seed=18446744073709551616"); });
    QVERIFY2(text.find("seed") != std::string::npos && text != "no exception", text.c_str());
    const std::string json = errorOf([&] {
      results::mergeJson(spec, nlohmann::json::parse(R"({"seed": 18446744073709551616})"), "spec");
    });
    QVERIFY2(json.find("'seed' must be") != std::string::npos, json.c_str());
    applyAssignment(spec, "seed=18446744073709551615");  // the largest that fits
    QCOMPARE(spec.seed, uint64_t{18446744073709551615U});
  }

  void jsonNamesTheKeyPathOfABadValue() {
    ExperimentSpec spec;
    const auto merge = [&](const char* text) {
      return errorOf([&] { results::mergeJson(spec, json::parse(text), "'c.json'"); });
    };
    QVERIFY(merge(R"({"model": {"width": "wide"}})").find("'c.json': 'model.width' must be an integer") != std::string::npos);
    QVERIFY(merge(R"({"model": {"colour": 1}})").find("'model.colour' is not a known key") != std::string::npos);
    QVERIFY(merge(R"({"data": {"synthetic": 3}})").find("'data.synthetic' must be an object") != std::string::npos);
    QVERIFY(merge(R"([1])").find("'the document' must be an object") != std::string::npos);
    QVERIFY(merge(R"({"optimizer": {"kind": "lbfgs"}})").find("is 'lbfgs', not one of sgd, adam") != std::string::npos);
    QVERIFY(merge(R"({"seed": -4})").find("'seed' must be a non-negative integer") != std::string::npos);
    QVERIFY(merge(R"({"compute": {"threads": 1e12}})").find("'compute.threads' must be an integer") != std::string::npos);
    // A partial document changes only what it names.
    ExperimentSpec changed;
    results::mergeJson(changed, json::parse(R"({"model": {"width": 64}})"), "test");
    ExperimentSpec expected;
    expected.model.width = 64;
    QVERIFY(changed == expected);
  }

  void helpTextsOfBoundsAndValues() {
    QCOMPARE(describeBounds(requireSpecField("model.dropout")), std::string("in [0, 1)"));
    QCOMPARE(describeBounds(requireSpecField("optimizer.learning_rate")), std::string("a positive number"));
    QCOMPARE(describeBounds(requireSpecField("regularizers.patience")), std::string("at least 1"));
    QCOMPARE(describeBounds(requireSpecField("training.epochs")), std::string("in [1, 1000000]"));
    QCOMPARE(describeBounds(requireSpecField("name")), std::string());
    QCOMPARE(fieldText(json(0.0005)), std::string("0.0005"));
    QCOMPARE(fieldText(json(512)), std::string("512"));
    QCOMPARE(fieldText(json::array({1, 28, 28})), std::string("1x28x28"));
    QCOMPARE(std::string(requireSpecField("model.width").shortName()), std::string("width"));
  }
};

QTEST_APPLESS_MAIN(TestSpecFields)
#include "test_spec_fields.moc"

// ExperimentSpec as JSON, and the presets that ship in resources/presets.

#include "core/errors.h"
#include "core/results/presets.h"
#include "core/results/spec_json.h"
#include "support/checks.h"

#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace genlab;
using namespace genlab::train;
using nlohmann::json;

class TestSpecJson : public QObject {
  Q_OBJECT

private:
  QTemporaryDir scratch_;

private Q_SLOTS:
  void roundTrip() {
    ExperimentSpec spec;
    spec.name = "round trip";
    spec.data.kind = data::DatasetKind::Synthetic;
    spec.data.synthetic.shape = {3, 32, 32};
    spec.data.trainSize = 123;
    spec.data.preprocessing = data::Preprocessing::CropAndWhiten;
    spec.settings = {corruption::Setting::partialLabels(0.3), corruption::Setting::gaussianInputs()};
    spec.sweepLevels = {0.0, 0.5};
    spec.model = {models::Architecture::Inception, 2, 64, true, 0.25};
    spec.optimizer.kind = Optimizer::Adam;
    spec.optimizer.schedule = Schedule::Step;
    spec.optimizer.weightDecay = 5e-4;
    spec.regularizers.augment = true;
    spec.regularizers.earlyStopping = true;
    spec.training.fitThreshold = 0.99;
    spec.compute.device = DeviceChoice::Cuda;
    spec.compute.interleaved = false;
    spec.compute.concurrentRuns = 3;
    spec.seed = 99;

    ExperimentSpec back;
    results::mergeJson(back, json::parse(results::toJson(spec).dump()), "test");
    QVERIFY(back == spec);
  }

  void mergeKeepsWhatItDoesNotName() {
    ExperimentSpec spec;
    spec.optimizer.momentum = 0.5;
    results::mergeJson(spec, json::parse(R"({"optimizer": {"learning_rate": 0.2}})"), "test");
    QCOMPARE(spec.optimizer.learningRate, 0.2);
    QCOMPARE(spec.optimizer.momentum, 0.5);
  }

  void badDocumentsNameTheProblem_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << R"({"optimiser": {}})" << "'optimiser' is not a known key";
    QTest::newRow("unknown nested key") << R"({"training": {"epoch": 3}})" << "'training.epoch' is not a known key";
    QTest::newRow("wrong type") << R"({"training": {"epochs": "many"}})" << "'training.epochs' must be an integer";
    QTest::newRow("unknown name") << R"({"model": {"architecture": "resnet"}})" << "'model.architecture' is 'resnet', not one of mlp, alexnet, inception";
    QTest::newRow("bad setting") << R"({"settings": ["labels:1.7"]})" << "outside [0, 1]";
    QTest::newRow("settings not a list") << R"({"settings": "true"})" << "'settings' must be a list";
    QTest::newRow("bad shape") << R"({"data": {"synthetic": {"shape": [1, 2]}}})" << "'data.synthetic.shape' must be [channels, height, width]";
    QTest::newRow("negative seed") << R"({"seed": -1})" << "'seed' must be a non-negative integer";
    QTest::newRow("not an object") << R"([1, 2])" << "must be an object";
  }

  void badDocumentsNameTheProblem() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    ExperimentSpec spec;
    const std::string message = test::messageOf<InputError>(
        [&] { results::mergeJson(spec, json::parse(text.toStdString()), "'config.json'"); });
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find("'config.json'") != std::string::npos, message.c_str());
  }

  void specFilesAreValidated() {
    const std::filesystem::path path = scratch_.path().toStdString() + "/bad.json";
    std::ofstream(path) << R"({"optimizer": {"learning_rate": 0}})";
    std::string message = test::messageOf<InputError>([&] { (void)results::loadSpecFile(path); });
    QVERIFY2(message.find("learning rate 0 must be a positive number") != std::string::npos, message.c_str());
    std::ofstream(path) << R"({"optimizer": {"learning_rate": 0.1,}})";
    message = test::messageOf<InputError>([&] { (void)results::loadSpecFile(path); });
    QVERIFY2(message.find("is malformed at byte") != std::string::npos, message.c_str());
    message = test::messageOf<InputError>([&] { (void)results::loadSpecFile("/no/such/file.json"); });
    QVERIFY2(message.find("cannot read JSON file '/no/such/file.json'") != std::string::npos, message.c_str());
  }

  void everyShippedPresetLoadsAndValidates() {
    qunsetenv(results::kPresetDirVariable);
    const auto presets = results::loadPresets(results::presetFolder());
    QVERIFY(presets.size() >= 7);
    for (const auto& preset : presets) {
      QVERIFY(!preset.title.empty());
      QVERIFY(!preset.description.empty());
      validate(preset.spec);  // throws on an invalid preset
    }
  }

  void figure1aPresetIsThePaperFigure() {
    const results::Preset preset = results::findPreset("figure1a-fashion-mnist");
    QCOMPARE(preset.title, std::string("Figure 1a on Fashion-MNIST (CPU)"));
    const auto& spec = preset.spec;
    QVERIFY(spec.data.kind == data::DatasetKind::FashionMnist);
    QCOMPARE(spec.data.trainSize, int64_t(5000));
    QCOMPARE(models::describe(spec.model), std::string("MLP 1x512"));
    std::vector<std::string> keys;
    for (const auto& s : spec.settings) keys.push_back(s.key());
    QCOMPARE(keys, (std::vector<std::string>{"true", "random-labels", "shuffled-pixels",
                                             "random-pixels", "gaussian"}));
    QVERIFY(spec.optimizer.schedule == Schedule::Constant);
    QVERIFY(spec.training.stopWhenFitted);

    const results::Preset sweep = results::findPreset("label-corruption-sweep");
    QCOMPARE(sweep.spec.sweepLevels, (std::vector<double>{0.0, 0.2, 0.4, 0.6, 0.8, 1.0}));
    const std::string message = test::messageOf<InputError>([] { (void)results::findPreset("figure9"); });
    QVERIFY2(message.find("unknown preset 'figure9' (available: ") != std::string::npos, message.c_str());
  }

  void malformedPresetIsRejected() {
    const std::filesystem::path folder = scratch_.path().toStdString() + "/presets";
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "broken.json") << R"({"title": "x", "spec": {"model": {"depth": 0}}})";
    const std::string message = test::messageOf<InputError>([&] { (void)results::loadPresets(folder); });
    QVERIFY2(message.find("broken.json") != std::string::npos && message.find("depth") != std::string::npos,
             message.c_str());
  }
};

QTEST_APPLESS_MAIN(TestSpecJson)
#include "test_spec_json.moc"

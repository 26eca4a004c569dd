// The paper's networks (MLP 1x512 and 3x512, small AlexNet, small Inception): their parameter
// counts, output shapes, batch norm and dropout, and the checks makeNetwork makes on its input.

// moc needs only the test class: hidden from it, LibTorch's headers cost it nothing.
#ifndef Q_MOC_RUN
#include "core/errors.h"
#include "core/models/batch_norm_relu.h"
#include "core/models/conv_weight_gradient.h"
#include "core/models/cpu_conv.h"
#include "core/models/cpu_linear.h"
#include "core/models/dense_weight_gradient.h"
#include "core/models/local_response_norm.h"
#include "core/models/max_pool_relu.h"
#include "core/models/model_spec.h"
#include "core/models/network.h"
#include "core/train/device.h"
#include "support/checks.h"
#endif

#include <QtTest>

#ifndef Q_MOC_RUN
#include <torch/torch.h>
#endif

#include <cmath>
#include <functional>
#include <limits>
#include <utility>

using namespace genlab;
using data::ImageShape;
using models::Architecture;
using models::ModelSpec;

Q_DECLARE_METATYPE(genlab::models::ModelSpec)
Q_DECLARE_METATYPE(genlab::data::ImageShape)
Q_DECLARE_METATYPE(torch::Tensor)

namespace {

constexpr int64_t kClasses = 10;
constexpr int64_t kBatch = 4;
const ImageShape kCifarCrop{3, 28, 28};  // the paper's input: CIFAR-10 centre-cropped

/// f(input), and the gradient of sum(f(input) * weights) with respect to a copy of `input` (its
/// memory layout kept): what two implementations of one function must agree on.
std::pair<torch::Tensor, torch::Tensor> outputAndInputGradient(
    const std::function<torch::Tensor(const torch::Tensor&)>& f, const torch::Tensor& input,
    const torch::Tensor& weights) {
  const torch::Tensor x = input.detach().clone().requires_grad_(true);
  const torch::Tensor output = f(x);
  (output * weights).sum().backward();
  return {output.detach(), x.grad()};
}

/// `got` has `expected`'s sizes and its values within 1e-5 of its largest (or of 1).
void verifyMatches(const torch::Tensor& got, const torch::Tensor& expected, const char* name) {
  QVERIFY2(got.sizes() == expected.sizes(), name);
  const double scale = expected.abs().max().item<double>();
  const double difference = (got - expected).abs().max().item<double>();
  QVERIFY2(difference <= 1e-5 * std::max(scale, 1.0),
           qPrintable(QString("%1: largest difference %2 of %3").arg(name).arg(difference).arg(scale)));
}

ModelSpec mlp(int64_t depth, bool batchNorm = false, double dropout = 0.0) {
  return {.architecture = Architecture::Mlp,
          .depth = depth,
          .width = 512,
          .batchNorm = batchNorm,
          .dropout = dropout};
}

ModelSpec alexNet(bool batchNorm = false, double dropout = 0.0) {
  return {.architecture = Architecture::AlexNet, .batchNorm = batchNorm, .dropout = dropout};
}

/// The paper's Inception has batch norm; "Inception w/o BatchNorm" is the variant.
ModelSpec inception(bool batchNorm = true, double dropout = 0.0) {
  return {.architecture = Architecture::Inception, .batchNorm = batchNorm, .dropout = dropout};
}

torch::Tensor randomImages(const ImageShape& shape, int64_t n = kBatch) {
  return torch::randn({n, shape.channels, shape.height, shape.width});
}

/// Number of buffers whose name ends in `suffix` ("running_mean": one per batch-norm layer).
int64_t buffersNamed(const torch::nn::Module& module, const std::string& suffix) {
  int64_t count = 0;
  for (const auto& item : module.named_buffers()) {
    const std::string& key = item.key();
    if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
      ++count;
  }
  return count;
}

/// LibTorch's thread count set for a scope, then restored.
class LibTorchThreads {
public:
  explicit LibTorchThreads(int threads) : before_(at::get_num_threads()) { at::set_num_threads(threads); }
  ~LibTorchThreads() { at::set_num_threads(before_); }
  LibTorchThreads(const LibTorchThreads&) = delete;
  LibTorchThreads& operator=(const LibTorchThreads&) = delete;

private:
  int before_;
};

/// CpuLinear's product threads back to their default (1) when the scope ends.
class ProductThreads {
public:
  ProductThreads() = default;
  ~ProductThreads() { models::setProductThreads(1); }
  ProductThreads(const ProductThreads&) = delete;
  ProductThreads& operator=(const ProductThreads&) = delete;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

class TestModels : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() { torch::manual_seed(20170101); }

  // ---- the paper's parameter counts ----------------------------------------------------------

  void parameterCountsMatchThePaper_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("MLP 1x512") << mlp(1) << qint64(1'209'866);
    QTest::newRow("MLP 3x512") << mlp(3) << qint64(1'735'178);
    QTest::newRow("small AlexNet") << alexNet() << qint64(1'387'786);
    QTest::newRow("small Inception") << inception(true) << qint64(1'649'402);
    // Batch norm without scale and shift adds no parameters (Table 1 compares the two).
    QTest::newRow("small Inception w/o BatchNorm") << inception(false) << qint64(1'649'402);
  }

  void parameterCountsMatchThePaper() {
    QFETCH(ModelSpec, spec);
    QFETCH(qint64, expected);
    const auto network = models::makeNetwork(spec, kCifarCrop, kClasses);
    QCOMPARE(qint64(models::countParameters(*network)), expected);
  }

  void parameterCountLeavesTheGlobalGeneratorAsItWas() {
    // What the window's form shows must equal what training builds, and counting must not
    // shift any seeded stream (dropout draws from the global generator).
    const ModelSpec spec = inception(true);
    torch::manual_seed(7);
    const torch::Tensor undisturbed = torch::rand({4});
    torch::manual_seed(7);
    QCOMPARE(models::parameterCount(spec, kCifarCrop, kClasses), int64_t{1'649'402});
    QVERIFY(torch::equal(torch::rand({4}), undisturbed));
    // An invalid spec throws and still restores the generator.
    torch::manual_seed(7);
    ModelSpec bad = mlp(1);
    bad.width = 0;
    QVERIFY_THROWS_EXCEPTION(InputError, models::parameterCount(bad, kCifarCrop, kClasses));
    QVERIFY(torch::equal(torch::rand({4}), undisturbed));
  }

  // ---- output shape ----------------------------------------------------------------------------

  void outputIsOneRowOfFiniteScoresPerImage_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::addColumn<ImageShape>("shape");
    const std::pair<const char*, ImageShape> shapes[] = {
        {"28x28x1", {1, 28, 28}}, {"28x28x3", {3, 28, 28}}, {"32x32x3", {3, 32, 32}}};
    const std::pair<const char*, ModelSpec> specs[] = {
        {"MLP 1x512", mlp(1)},
        {"MLP 3x512 + batch norm + dropout", mlp(3, true, 0.5)},
        {"small AlexNet", alexNet()},
        {"small AlexNet + batch norm + dropout", alexNet(true, 0.5)},
        {"small Inception", inception(true)},
        {"small Inception w/o BatchNorm + dropout", inception(false, 0.5)}};
    for (const auto& [specName, spec] : specs)
      for (const auto& [shapeName, shape] : shapes)
        QTest::newRow(qPrintable(QString("%1 on %2").arg(specName, shapeName))) << spec << shape;
  }

  void outputIsOneRowOfFiniteScoresPerImage() {
    QFETCH(ModelSpec, spec);
    QFETCH(ImageShape, shape);
    const auto network = models::makeNetwork(spec, shape, kClasses);
    const torch::Tensor images = randomImages(shape);
    for (bool training : {true, false}) {
      network->train(training);
      torch::NoGradGuard noGrad;
      const torch::Tensor scores = network->forward(images);
      QCOMPARE(scores.sizes().vec(), (std::vector<int64_t>{kBatch, kClasses}));
      QCOMPARE(scores.scalar_type(), torch::kFloat32);
      QVERIFY2(torch::isfinite(scores).all().item<bool>(), training ? "train mode" : "eval mode");
    }
  }

  void smallestAcceptedImagesWork_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::addColumn<ImageShape>("shape");
    QTest::newRow("MLP on 1x1x1") << mlp(1) << ImageShape{1, 1, 1};
    QTest::newRow("AlexNet on 5x5") << alexNet() << ImageShape{3, 5, 5};
    QTest::newRow("Inception on 7x7") << inception() << ImageShape{3, 7, 7};
    QTest::newRow("Inception on 7x9") << inception() << ImageShape{1, 7, 9};
  }

  void smallestAcceptedImagesWork() {
    QFETCH(ModelSpec, spec);
    QFETCH(ImageShape, shape);
    const auto network = models::makeNetwork(spec, shape, kClasses);
    torch::NoGradGuard noGrad;
    const torch::Tensor scores = network->forward(randomImages(shape));
    QCOMPARE(scores.sizes().vec(), (std::vector<int64_t>{kBatch, kClasses}));
  }

  void weightsFollowTheGlobalSeed() {
    const ImageShape shape{1, 8, 8};
    const torch::Tensor images = randomImages(shape);
    const auto scoresAfterSeed = [&](uint64_t seed) {
      torch::manual_seed(seed);
      const auto network = models::makeNetwork(alexNet(), shape, kClasses);
      network->eval();
      torch::NoGradGuard noGrad;
      return network->forward(images);
    };
    QVERIFY(torch::equal(scoresAfterSeed(7), scoresAfterSeed(7)));
    QVERIFY(!torch::equal(scoresAfterSeed(7), scoresAfterSeed(8)));
  }

  // ---- batch norm --------------------------------------------------------------------------

  void mlpBatchNormAddsScaleAndShiftPerHiddenUnit_data() {
    QTest::addColumn<qint64>("depth");
    QTest::newRow("1x512") << qint64(1);
    QTest::newRow("3x512") << qint64(3);
  }

  void mlpBatchNormAddsScaleAndShiftPerHiddenUnit() {
    QFETCH(qint64, depth);
    const auto plain = models::makeNetwork(mlp(depth, false), kCifarCrop, kClasses);
    const auto normed = models::makeNetwork(mlp(depth, true), kCifarCrop, kClasses);
    QCOMPARE(qint64(models::countParameters(*normed) - models::countParameters(*plain)),
             2 * 512 * depth);
    QCOMPARE(buffersNamed(*plain, "running_mean"), int64_t(0));
    QCOMPARE(qint64(buffersNamed(*normed, "running_mean")), depth);
  }

  // The estimate that validate uses to refuse networks beyond memory counts what is built.
  void mlpParameterEstimateCountsTheBuiltNetwork_data() {
    QTest::addColumn<qint64>("depth");
    QTest::addColumn<qint64>("width");
    QTest::addColumn<bool>("batchNorm");
    QTest::newRow("1x512") << qint64(1) << qint64(512) << false;
    QTest::newRow("3x512 with batch norm") << qint64(3) << qint64(512) << true;
    QTest::newRow("5x7") << qint64(5) << qint64(7) << false;
  }
  void mlpParameterEstimateCountsTheBuiltNetwork() {
    QFETCH(qint64, depth);
    QFETCH(qint64, width);
    QFETCH(bool, batchNorm);
    models::ModelSpec spec = mlp(depth, batchNorm);
    spec.width = width;
    const auto network = models::makeNetwork(spec, kCifarCrop, kClasses);
    QCOMPARE(models::mlpParameterCount(spec, kCifarCrop.values(), kClasses),
             double(models::countParameters(*network)));
  }

  void alexNetBatchNormFollowsEveryHiddenLayer() {
    const auto plain = models::makeNetwork(alexNet(false), kCifarCrop, kClasses);
    const auto normed = models::makeNetwork(alexNet(true), kCifarCrop, kClasses);
    // Scale and shift for the two 64-channel convolutions and the 384- and 192-unit layers.
    QCOMPARE(models::countParameters(*normed) - models::countParameters(*plain),
             int64_t(2 * (64 + 64 + 384 + 192)));
    QCOMPARE(buffersNamed(*plain, "running_mean"), int64_t(0));
    QCOMPARE(buffersNamed(*normed, "running_mean"), int64_t(4));
  }

  void inceptionBatchNormHasNoLearnableParameters() {
    const auto plain = models::makeNetwork(inception(false), kCifarCrop, kClasses);
    const auto normed = models::makeNetwork(inception(true), kCifarCrop, kClasses);
    QCOMPARE(models::countParameters(*normed), models::countParameters(*plain));
    QCOMPARE(normed->parameters().size(), plain->parameters().size());
    // One batch norm per Conv: 1 stem + 8 Inc x 2 branches + 2 Down convolutions.
    QCOMPARE(buffersNamed(*normed, "running_mean"), int64_t(19));
    QCOMPARE(buffersNamed(*plain, "running_mean"), int64_t(0));
  }

  void everyBatchNormIsInTheForwardPath_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::newRow("MLP 3x512 + batch norm") << mlp(3, true);
    QTest::newRow("small AlexNet + batch norm") << alexNet(true);
    QTest::newRow("small Inception") << inception(true);
  }

  void everyBatchNormIsInTheForwardPath() {
    // A batch norm that is registered but never called would pass the counts above. In
    // training mode each one moves its running mean from 0 towards the batch mean, which is
    // not 0 for inputs shifted by 3.
    QFETCH(ModelSpec, spec);
    const ImageShape shape{3, 8, 8};
    const auto network = models::makeNetwork(spec, shape, kClasses);
    network->train();
    torch::NoGradGuard noGrad;
    network->forward(randomImages(shape) + 3.0);
    int64_t checked = 0;
    for (const auto& item : network->named_buffers()) {
      if (!contains(item.key(), "running_mean")) continue;
      QVERIFY2(item.value().abs().sum().item<double>() > 0, item.key().c_str());
      ++checked;
    }
    QVERIFY(checked > 0);
  }

  void alexNetUsesTheTensorFlowTutorialsLocalResponseNorm() {
    // tf.nn.lrn(depth_radius=4, bias=1, alpha=0.001/9, beta=0.75): a window of 9 channels, and
    // PyTorch's alpha is TensorFlow's times the window size.
    const auto network = models::makeNetwork(alexNet(), kCifarCrop, kClasses);
    int64_t found = 0;
    for (const auto& module : network->modules()) {
      const auto* lrn = dynamic_cast<const models::LocalResponseNormImpl*>(module.get());
      if (lrn == nullptr) continue;
      ++found;
      QCOMPARE(lrn->size(), int64_t(9));
      QCOMPARE(lrn->alpha(), 0.001);
      QCOMPARE(lrn->beta(), 0.75);
      QCOMPARE(lrn->k(), 1.0);
    }
    QCOMPARE(found, int64_t(2));
  }

  void alexNetComputesThePapersLayers() {
    // The network as built (channels-last, max-pool before ReLU, the lab's own LRN) against the
    // paper's layers in order, written out with LibTorch's functions on the same weights: the
    // same scores and the same gradient with respect to the images.
    namespace F = torch::nn::functional;
    const auto network = models::makeNetwork(alexNet(), kCifarCrop, kClasses);
    std::vector<torch::Tensor> p;
    for (const torch::Tensor& parameter : network->parameters()) p.push_back(parameter.detach());
    QCOMPARE(p.size(), size_t(10));  // 2 convolutions and 3 dense layers, weight and bias each
    // The names of earlier versions, which their checkpoints hold the weights under.
    QVERIFY(network->named_parameters().contains("features.4.weight"));
    QVERIFY(network->named_parameters().contains("classifier.4.bias"));
    const auto block = [&](const torch::Tensor& x, size_t conv) {
      const torch::Tensor y = torch::relu(F::conv2d(x, p[conv], F::Conv2dFuncOptions().bias(p[conv + 1]).padding(2)));
      return F::local_response_norm(F::max_pool2d(y, F::MaxPool2dFuncOptions(3).stride(2).padding(1)),
                                    F::LocalResponseNormFuncOptions(9).alpha(0.001).beta(0.75).k(1.0));
    };
    const auto paper = [&](const torch::Tensor& images) {
      torch::Tensor x = block(block(images, 0), 2).flatten(1);
      x = torch::relu(F::linear(x, p[4], p[5]));
      x = torch::relu(F::linear(x, p[6], p[7]));
      return F::linear(x, p[8], p[9]);
    };
    const torch::Tensor images = torch::randn({kBatch, 3, 28, 28});
    const torch::Tensor weights = torch::randn({kBatch, kClasses});
    const auto [scores, gradient] = outputAndInputGradient(
        [&](const torch::Tensor& x) { return network->forward(x); }, images, weights);
    const auto [expected, expectedGradient] = outputAndInputGradient(paper, images, weights);
    QVERIFY2(torch::allclose(scores, expected, 1e-4, 1e-5),
             qPrintable(QString("largest difference %1").arg((scores - expected).abs().max().item<double>())));
    QVERIFY2(torch::allclose(gradient, expectedGradient, 1e-3, 1e-6),
             qPrintable(QString("largest gradient difference %1")
                            .arg((gradient - expectedGradient).abs().max().item<double>())));
  }

  void inceptionComputesThePapersLayers() {
    // The network as built (channels-last, the lab's batch norm then ReLU, convolutions'
    // gradients and Down max-pool) against the paper's modules written out with LibTorch's
    // functions on the same weights, in training: scores, the images' gradient and every
    // parameter's gradient.
    namespace F = torch::nn::functional;
    torch::manual_seed(12);
    const auto network = models::makeNetwork(inception(true), kCifarCrop, kClasses);
    network->train();
    std::vector<torch::Tensor> p;  // in the order the modules are built
    for (const torch::Tensor& parameter : network->parameters())
      p.push_back(parameter.detach().clone().requires_grad_(true));
    QCOMPARE(p.size(), size_t(2 * (1 + 8 * 2 + 2 + 1)));
    const auto paper = [&](const torch::Tensor& images) {
      size_t next = 0;
      const auto conv = [&](const torch::Tensor& x, int64_t kernel, int64_t stride) {
        const torch::Tensor& w = p[next++];
        const torch::Tensor& b = p[next++];
        const torch::Tensor y = F::conv2d(
            x, w, F::Conv2dFuncOptions().bias(b).stride(stride).padding(stride == 1 ? kernel / 2 : 0));
        return torch::relu(F::batch_norm(y, torch::zeros({y.size(1)}, y.options()), torch::ones({y.size(1)}, y.options()),
                                         F::BatchNormFuncOptions().training(true)));
      };
      const auto inc = [&](const torch::Tensor& x) {
        const torch::Tensor a = conv(x, 1, 1);
        return torch::cat({a, conv(x, 3, 1)}, 1);
      };
      const auto down = [&](const torch::Tensor& x) {
        return torch::cat({conv(x, 3, 2), F::max_pool2d(x, F::MaxPool2dFuncOptions(3).stride(2))}, 1);
      };
      torch::Tensor x = down(inc(inc(conv(images, 3, 1))));
      x = down(inc(inc(inc(inc(x)))));
      x = inc(inc(x)).mean({2, 3});
      return F::linear(x, p[next], p[next + 1]);
    };
    const torch::Tensor images = torch::randn({8, 3, 28, 28});
    const torch::Tensor weights = torch::randn({8, kClasses});
    const auto [scores, gradient] = outputAndInputGradient(
        [&](const torch::Tensor& x) { return network->forward(x); }, images, weights);
    const auto [expected, expectedGradient] = outputAndInputGradient(paper, images, weights);
    // In norm, within 3 thousandths of the expected values (or, for a bias before a batch norm,
    // whose gradient is 0 but for rounding, of its layer's weight gradient): rounding through
    // eleven batch norms of 8 images leaves about half a thousandth (LibTorch's own float
    // against double: as much), and a pre-activation within rounding of its batch mean may pass
    // the ReLU in one network and not in the other, which moves that channel's weight gradient.
    // Not value by value, for that second reason.
    const auto norm = [](const torch::Tensor& t) { return t.norm().item<double>(); };
    const auto close = [&](const torch::Tensor& got, const torch::Tensor& want, const QString& what,
                           double scale) {
      const double difference = norm(got - want);
      QVERIFY2(scale > 0 && difference <= 3e-3 * scale,
               qPrintable(QString("%1: difference %2 in norm, of %3").arg(what).arg(difference).arg(scale)));
    };
    close(scores, expected, "scores", norm(expected));
    close(gradient, expectedGradient, "images' gradient", norm(expectedGradient));
    const auto parameters = network->named_parameters();
    for (size_t i = 0; i < p.size(); ++i)
      close(parameters[i].value().grad(), p[i].grad(), QString::fromStdString(parameters[i].key()),
            std::max(norm(p[i].grad()), norm(p[i - i % 2].grad())));
  }

  void localResponseNormMatchesLibTorchs_data() {
    QTest::addColumn<int64_t>("channels");
    QTest::addColumn<int64_t>("size");
    QTest::addColumn<bool>("channelsLast");
    QTest::addColumn<double>("alpha");
    QTest::addColumn<bool>("inDouble");
    QTest::newRow("AlexNet's: 64 channels, window 9") << int64_t(64) << int64_t(9) << false << 0.001 << false;
    QTest::newRow("AlexNet's, channels-last input") << int64_t(64) << int64_t(9) << true << 0.001 << false;
    QTest::newRow("even window 4, strong alpha") << int64_t(16) << int64_t(4) << false << 2.0 << false;
    QTest::newRow("3 channels, window 9 wider") << int64_t(3) << int64_t(9) << true << 1.0 << false;
    QTest::newRow("double precision: the composed operators (as on a GPU)")
        << int64_t(16) << int64_t(5) << false << 2.0 << true;
  }

  void localResponseNormMatchesLibTorchs() {
    // The lab's own LRN (window sums over channels-last rows, gradient written out) against
    // LibTorch's traced one, in values and in the gradient of a weighted sum of the output.
    QFETCH(int64_t, channels);
    QFETCH(int64_t, size);
    QFETCH(bool, channelsLast);
    QFETCH(double, alpha);
    QFETCH(bool, inDouble);
    namespace F = torch::nn::functional;
    const auto type = inDouble ? torch::kDouble : torch::kFloat;
    torch::Tensor input = torch::randn({5, channels, 6, 7}, type) * 3;
    if (channelsLast) input = input.contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor weights = torch::randn({5, channels, 6, 7}, type);
    models::LocalResponseNorm ours(size, alpha, 0.75, 1.0);
    const auto [y, dx] =
        outputAndInputGradient([&](const torch::Tensor& x) { return ours->forward(x); }, input, weights);
    const auto [expectedY, expectedDx] = outputAndInputGradient(
        [&](const torch::Tensor& x) {
          return F::local_response_norm(x, F::LocalResponseNormFuncOptions(size).alpha(alpha).beta(0.75).k(1.0));
        },
        input, weights);
    QVERIFY(y.sizes() == expectedY.sizes());
    QVERIFY2(torch::allclose(y, expectedY, 1e-5, 1e-5),
             qPrintable(QString("largest difference %1").arg((y - expectedY).abs().max().item<double>())));
    QVERIFY2(torch::allclose(dx, expectedDx, 1e-4, 1e-5),
             qPrintable(QString("largest gradient difference %1").arg((dx - expectedDx).abs().max().item<double>())));
    // The window matters: a strong alpha changes the values far from the identity.
    if (alpha >= 1.0) QVERIFY((y - input).abs().max().item<double>() > 0.5);
  }

  void maxPoolReLUMatchesLibTorchs_data() {
    QTest::addColumn<torch::Tensor>("input");
    QTest::addColumn<int64_t>("window");
    QTest::addColumn<int64_t>("stride");
    QTest::addColumn<int64_t>("padding");
    torch::manual_seed(5);
    QTest::newRow("AlexNet's: 64 channels, channels-last, 3/2/1")
        << torch::randn({4, 64, 14, 14}).contiguous(torch::MemoryFormat::ChannelsLast) << int64_t(3) << int64_t(2)
        << int64_t(1);
    QTest::newRow("3 channels first, odd sides 7x9") << torch::randn({2, 3, 7, 9}) << int64_t(3) << int64_t(2) << int64_t(1);
    QTest::newRow("2/2/0, sides that leave a row out") << torch::randn({2, 5, 9, 8}) << int64_t(2) << int64_t(2) << int64_t(0);
    QTest::newRow("Inception's Down: 3/2/0 on ReLU outputs, 13x13")
        << torch::relu(torch::randn({2, 16, 13, 13})).contiguous(torch::MemoryFormat::ChannelsLast) << int64_t(3)
        << int64_t(2) << int64_t(0);
    QTest::newRow("every value negative: zeros, no gradient")
        << -torch::rand({2, 8, 6, 6}) - 0.1 << int64_t(3) << int64_t(2) << int64_t(1);
    QTest::newRow("double precision: LibTorch's own (as on a GPU)")
        << torch::randn({2, 4, 6, 6}, torch::kDouble) << int64_t(3) << int64_t(2) << int64_t(1);
  }

  void maxPoolReLUMatchesLibTorchs() {
    QFETCH(torch::Tensor, input);
    QFETCH(int64_t, window);
    QFETCH(int64_t, stride);
    QFETCH(int64_t, padding);
    models::MaxPoolReLU ours(window, stride, padding);
    const torch::Tensor weights = torch::randn_like(ours->forward(input), torch::MemoryFormat::Contiguous);
    const auto [y, dx] = outputAndInputGradient([&](const torch::Tensor& x) { return ours->forward(x); }, input, weights);
    const auto [expectedY, expectedDx] = outputAndInputGradient(
        [&](const torch::Tensor& x) { return torch::max_pool2d(torch::relu(x), window, stride, padding); }, input, weights);
    QVERIFY(y.sizes() == expectedY.sizes());
    QVERIFY(torch::equal(y, expectedY));  // a maximum is exact
    QVERIFY2(torch::allclose(dx, expectedDx),
             qPrintable(QString("largest gradient difference %1").arg((dx - expectedDx).abs().max().item<double>())));
    QVERIFY(dx.abs().sum().item<double>() > 0 || (input < 0).all().item<bool>());
  }

  void maxPoolReLUPassesNaNOn() {
    // A NaN is its window's maximum, as in LibTorch's max-pool, so that a diverged network's
    // loss becomes NaN and the run is reported diverged rather than silently pooled to zero.
    torch::Tensor input = torch::rand({1, 2, 4, 4});
    input[0][1][1][1] = std::numeric_limits<float>::quiet_NaN();
    const torch::Tensor y = models::MaxPoolReLU(3, 2, 1)->forward(input);
    QCOMPARE(torch::isnan(y).sum().item<int64_t>(), int64_t(4));  // the 4 windows that hold it
    QVERIFY(!torch::isnan(y[0][0]).any().item<bool>());
    QVERIFY(torch::equal(torch::isnan(y), torch::isnan(torch::max_pool2d(torch::relu(input), 3, 2, 1))));
  }

  void batchNormReLUMatchesLibTorchs_data() {
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("sliceGradient");
    QTest::addColumn<bool>("cumulative");
    QTest::newRow("one thread") << 1 << false << false;
    QTest::newRow("gradient a channel slice of a concatenation, as in an Inception module") << 1 << true << false;
    QTest::newRow("2 threads: the sums in two parts") << 2 << true << false;
    QTest::newRow("no momentum: running statistics averaged over every batch") << 1 << false << true;
  }

  void batchNormReLUMatchesLibTorchs() {
    // The lab's batch norm then ReLU against LibTorch's BatchNorm2d then relu, over two training
    // steps: outputs, input gradients, running statistics and the batch count.
    QFETCH(int, threads);
    QFETCH(bool, sliceGradient);
    QFETCH(bool, cumulative);
    const LibTorchThreads inTest(threads);
    const int64_t side = threads > 1 ? 40 : 7;  // two parts once there are 2 x 1,024 pixels
    auto options = torch::nn::BatchNorm2dOptions(6).affine(false);
    if (cumulative) options.momentum(c10::nullopt);
    torch::nn::BatchNorm2d ours(options), libtorch(options);
    for (int step = 0; step < 2; ++step) {
      torch::manual_seed(30 + step);
      const torch::Tensor input = models::channelsLast(torch::randn({4, 6, side, side + 1}) * 2 + 0.5);
      // A channels-last concatenation hands each part a channel slice of its gradient.
      const torch::Tensor weights =
          torch::randn({4, sliceGradient ? 9 : 6, side, side + 1}).contiguous(torch::MemoryFormat::ChannelsLast);
      const torch::Tensor beside = torch::randn({4, 3, side, side + 1});
      const auto then = [&](const torch::Tensor& y) { return sliceGradient ? torch::cat({y, beside}, 1) : y; };
      const auto [y, dx] = outputAndInputGradient(
          [&](const torch::Tensor& x) { return then(models::batchNormReLU(*ours, x)); }, input, weights);
      const auto [expectedY, expectedDx] = outputAndInputGradient(
          [&](const torch::Tensor& x) { return then(torch::relu(libtorch->forward(x))); }, input, weights);
      const torch::Tensor normalized = y.narrow(1, 0, 6);
      QVERIFY((normalized == 0).any().item<bool>() && (normalized > 0).any().item<bool>());  // the ReLU matters
      QVERIFY2(torch::allclose(y, expectedY, 1e-4, 1e-5),
               qPrintable(QString("largest difference %1").arg((y - expectedY).abs().max().item<double>())));
      QVERIFY2(torch::allclose(dx, expectedDx, 1e-4, 1e-5),
               qPrintable(QString("largest gradient difference %1").arg((dx - expectedDx).abs().max().item<double>())));
      QVERIFY(torch::allclose(ours->running_mean, libtorch->running_mean, 1e-5, 1e-6));
      QVERIFY(torch::allclose(ours->running_var, libtorch->running_var, 1e-5, 1e-6));
      QCOMPARE(ours->num_batches_tracked.item<int64_t>(), libtorch->num_batches_tracked.item<int64_t>());
    }
  }

  void batchNormReLUConcatMatchesLibTorchs_data() {
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("training");
    QTest::newRow("one thread") << 1 << true;
    QTest::newRow("2 threads: the sums in two parts") << 2 << true;
    QTest::newRow("evaluation: LibTorch's batch norms, concatenated") << 1 << false;
  }

  void batchNormReLUConcatMatchesLibTorchs() {
    // Two branches' batch norm then ReLU written into one concatenation, against LibTorch's two
    // BatchNorm2d then relu then cat: output, both inputs' gradients, running statistics and
    // batch counts.
    QFETCH(int, threads);
    QFETCH(bool, training);
    const LibTorchThreads inTest(threads);
    const int64_t side = threads > 1 ? 40 : 7;
    const auto options = [](int64_t channels) { return torch::nn::BatchNorm2dOptions(channels).affine(false); };
    torch::nn::BatchNorm2d oursA(options(5)), oursB(options(3)), libtorchA(options(5)), libtorchB(options(3));
    for (torch::nn::BatchNorm2d* norm : {&oursA, &oursB, &libtorchA, &libtorchB}) (*norm)->train(training);
    torch::manual_seed(41);
    const torch::Tensor a = models::channelsLast(torch::randn({4, 5, side, side + 1}) * 2 + 0.5);
    const torch::Tensor b = models::channelsLast(torch::randn({4, 3, side, side + 1}) - 0.3);
    const torch::Tensor weights = torch::randn({4, 8, side, side + 1});
    const auto pass = [&](const std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>& f) {
      const torch::Tensor x = a.detach().clone().requires_grad_(true);
      const torch::Tensor z = b.detach().clone().requires_grad_(true);
      const torch::Tensor y = f(x, z);
      (y * weights).sum().backward();
      return std::vector<torch::Tensor>{y.detach(), x.grad(), z.grad()};
    };
    const auto got = pass([&](const torch::Tensor& x, const torch::Tensor& z) {
      return models::batchNormReLUConcat(*oursA, x, *oursB, z);
    });
    const auto expected = pass([&](const torch::Tensor& x, const torch::Tensor& z) {
      return torch::cat({torch::relu(libtorchA->forward(x)), torch::relu(libtorchB->forward(z))}, 1);
    });
    const char* names[] = {"output", "first input's gradient", "second input's gradient"};
    for (size_t i = 0; i < got.size(); ++i)
      QVERIFY2(torch::allclose(got[i], expected[i], 1e-4, 1e-5),
               qPrintable(QString("%1: largest difference %2")
                              .arg(names[i])
                              .arg((got[i] - expected[i]).abs().max().item<double>())));
    QVERIFY(got[0].is_contiguous(torch::MemoryFormat::ChannelsLast));
    for (auto [ours, libtorch] : {std::pair{&oursA, &libtorchA}, std::pair{&oursB, &libtorchB}}) {
      QVERIFY(torch::allclose((*ours)->running_mean, (*libtorch)->running_mean, 1e-5, 1e-6));
      QVERIFY(torch::allclose((*ours)->running_var, (*libtorch)->running_var, 1e-5, 1e-6));
      QCOMPARE((*ours)->num_batches_tracked.item<int64_t>(), (*libtorch)->num_batches_tracked.item<int64_t>());
    }
  }

  void batchNormReLUPassesNaNOn() {
    // As LibTorch's batch norm then ReLU: a NaN makes its channel's statistics NaN, and so its
    // outputs, so that a diverged network's loss becomes NaN and the run is reported diverged.
    torch::nn::BatchNorm2d norm(torch::nn::BatchNorm2dOptions(3).affine(false));
    torch::Tensor input = models::channelsLast(torch::randn({2, 3, 4, 4}));
    input[1][2][3][0] = std::numeric_limits<float>::quiet_NaN();
    const torch::Tensor y = models::batchNormReLU(*norm, input);
    QVERIFY(torch::isnan(y.select(1, 2)).all().item<bool>());
    QVERIFY(!torch::isnan(y.narrow(1, 0, 2)).any().item<bool>());
  }

  void batchNormReLULeavesEvaluationToLibTorch() {
    torch::nn::BatchNorm2d norm(torch::nn::BatchNorm2dOptions(4).affine(false));
    norm->running_mean.fill_(0.5);
    norm->eval();
    const torch::Tensor x = models::channelsLast(torch::randn({2, 4, 5, 5}));
    QVERIFY(torch::equal(models::batchNormReLU(*norm, x), torch::relu(norm->forward(x))));
    QVERIFY(torch::equal(norm->running_mean, torch::full({4}, 0.5)));
    QCOMPARE(norm->num_batches_tracked.item<int64_t>(), int64_t(0));
  }

  void cpuConvMatchesLibTorchs_data() {
    QTest::addColumn<int64_t>("in");
    QTest::addColumn<int64_t>("out");
    QTest::addColumn<int64_t>("kernel");
    QTest::addColumn<int64_t>("stride");
    QTest::addColumn<int64_t>("padding");
    QTest::addColumn<bool>("inputGradient");
    QTest::addColumn<bool>("channelsLast");
    QTest::addColumn<int>("threads");
    // Rows name the weight gradient's route (cpu_conv.h); every stride-1 row's input gradient
    // that is asked for is the turned kernel's forward convolution. The lab's own weight-gradient
    // loop needs AVX-512 (conv_weight_gradient.h); elsewhere its rows take oneDNN's.
    QTest::newRow("AlexNet's first layer: gathered 5x5 patches, images need no gradient")
        << int64_t(1) << int64_t(8) << int64_t(5) << int64_t(1) << int64_t(2) << false << true << 1;
    QTest::newRow("3 channels, 3x3: gathered patches, input gradient")
        << int64_t(3) << int64_t(6) << int64_t(3) << int64_t(1) << int64_t(1) << true << true << 1;
    QTest::newRow("no padding: gathered patches inside the image")
        << int64_t(2) << int64_t(4) << int64_t(3) << int64_t(1) << int64_t(0) << true << true << 1;
    QTest::newRow("1x1: the input as patches")
        << int64_t(12) << int64_t(5) << int64_t(1) << int64_t(1) << int64_t(0) << true << true << 1;
    QTest::newRow("1x1 on a channels-first input")
        << int64_t(12) << int64_t(5) << int64_t(1) << int64_t(1) << int64_t(0) << true << false << 1;
    QTest::newRow("patches too wide, 20 channels: oneDNN's weight gradient")
        << int64_t(20) << int64_t(8) << int64_t(3) << int64_t(1) << int64_t(1) << true << true << 1;
    QTest::newRow("5x5, padding 1: oneDNN's weight gradient, channels-first input")
        << int64_t(4) << int64_t(6) << int64_t(5) << int64_t(1) << int64_t(1) << true << false << 1;
    QTest::newRow("48 channels, 3x3: the lab's loop, blocks of 32 and 16 channels, 12 and 1 outputs")
        << int64_t(48) << int64_t(13) << int64_t(3) << int64_t(1) << int64_t(1) << true << true << 1;
    QTest::newRow("the lab's loop on a channels-first input, 5x5, padding 2")
        << int64_t(16) << int64_t(7) << int64_t(5) << int64_t(1) << int64_t(2) << true << false << 1;
    QTest::newRow("stride 2, no padding (Down): the lab's loop, LibTorch's input gradient")
        << int64_t(32) << int64_t(10) << int64_t(3) << int64_t(2) << int64_t(0) << true << true << 1;
    QTest::newRow("padding as wide as the kernel: the lab's loop, LibTorch's input gradient")
        << int64_t(16) << int64_t(5) << int64_t(2) << int64_t(1) << int64_t(2) << true << true << 1;
    QTest::newRow("stride 2, padding 1, images need no gradient")
        << int64_t(16) << int64_t(24) << int64_t(3) << int64_t(2) << int64_t(1) << false << true << 1;
    QTest::newRow("2 threads: the rows in two parts, each its own product")
        << int64_t(1) << int64_t(8) << int64_t(5) << int64_t(1) << int64_t(2) << false << true << 2;
    QTest::newRow("2 threads, 1x1")
        << int64_t(12) << int64_t(5) << int64_t(1) << int64_t(1) << int64_t(0) << true << true << 2;
    QTest::newRow("2 threads, the lab's loop")
        << int64_t(32) << int64_t(30) << int64_t(3) << int64_t(1) << int64_t(1) << true << true << 2;
  }

  void cpuConvMatchesLibTorchs() {
    // The lab's routes to a convolution's gradients against LibTorch's Conv2d with the same
    // weights: output, input gradient, weight and bias gradients of a weighted sum.
    QFETCH(int64_t, in);
    QFETCH(int64_t, out);
    QFETCH(int64_t, kernel);
    QFETCH(int64_t, stride);
    QFETCH(int64_t, padding);
    QFETCH(bool, inputGradient);
    QFETCH(bool, channelsLast);
    QFETCH(int, threads);
    torch::manual_seed(8);
    const LibTorchThreads inTest(threads);
    // Two threads split the rows (output pixels) once there are 2 x 4,096 of them.
    const int64_t side = threads > 1 ? 64 : 9;
    models::CpuConv2d ours(in, out, kernel, stride, padding);
    torch::nn::Conv2d libtorch(
        torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding));
    {
      torch::NoGradGuard copying;
      libtorch->weight.copy_(ours->weight);
      libtorch->bias.copy_(ours->bias);
    }
    models::storeChannelsLast(*ours);
    models::storeChannelsLast(*libtorch);
    torch::Tensor input = torch::randn({3, in, side, side + 1});
    if (channelsLast) input = models::channelsLast(input);
    const models::conv_weight::ConvShape shape{3, side, side + 1, in, out, kernel, stride, padding};
    QCOMPARE(ours->takesOwnRoutes(input),
             (stride == 1 && padding < kernel) || models::conv_weight::fastRouteFor(shape));
    const torch::Tensor weights = torch::randn({3, out, shape.outHeight(), shape.outWidth()});
    const auto pass = [&](torch::nn::Conv2dImpl& conv, const std::function<torch::Tensor(const torch::Tensor&)>& f) {
      const torch::Tensor x = input.detach().clone().requires_grad_(inputGradient);
      conv.zero_grad();
      const torch::Tensor y = f(x);
      (y * weights).sum().backward();
      return std::vector<torch::Tensor>{y.detach(), inputGradient ? x.grad() : torch::zeros({1}),
                                        conv.weight.grad(), conv.bias.grad()};
    };
    const auto got = pass(*ours, [&](const torch::Tensor& x) { return ours->forward(x); });
    const auto expected = pass(*libtorch, [&](const torch::Tensor& x) { return libtorch->forward(x); });
    const char* names[] = {"output", "input gradient", "weight gradient", "bias gradient"};
    for (size_t i = 0; i < got.size(); ++i) {
      verifyMatches(got[i], expected[i], names[i]);
      if (QTest::currentTestFailed()) return;
    }
    // The weight gradient comes in the weight's own layout, so that autograd hands it on
    // without a copy and the fused SGD step takes it.
    QVERIFY(ours->weight.grad().strides() == ours->weight.strides());
  }

  void convolveBothMatchesLibTorchs_data() {
    QTest::addColumn<int64_t>("in");
    QTest::addColumn<int64_t>("side");
    QTest::addColumn<int64_t>("widePadding");
    QTest::addColumn<int>("threads");
    QTest::addColumn<QString>("used");  // which outputs the loss uses
    // Rows name the weight gradients' route (cpu_conv.h).
    QTest::newRow("32 channels: one pass of the lab's loop for both")
        << int64_t(32) << int64_t(9) << int64_t(1) << 1 << QString("both");
    QTest::newRow("2 threads: the 1x1's input gradient in two parts of rows")
        << int64_t(32) << int64_t(64) << int64_t(1) << 2 << QString("both");
    QTest::newRow("20 channels: each convolution's own route")
        << int64_t(20) << int64_t(9) << int64_t(1) << 1 << QString("both");
    QTest::newRow("only the 3x3's output used") << int64_t(32) << int64_t(9) << int64_t(1) << 1 << QString("wide");
    QTest::newRow("3x3 without padding, only the 1x1's output used")
        << int64_t(32) << int64_t(9) << int64_t(0) << 1 << QString("narrow");
  }

  void convolveBothMatchesLibTorchs() {
    // An Inception module's two convolutions of one input as one node of the backward pass,
    // against LibTorch's two Conv2d with the same weights: outputs, the input's gradient (the
    // two branches' summed) and the four parameters' gradients.
    QFETCH(int64_t, in);
    QFETCH(int64_t, side);
    QFETCH(int64_t, widePadding);
    QFETCH(int, threads);
    QFETCH(QString, used);
    torch::manual_seed(9);
    const LibTorchThreads inTest(threads);
    models::CpuConv2d narrow(in, 12, 1, 1, 0), wide(in, 20, 3, 1, widePadding);
    torch::nn::Conv2d narrowReference(torch::nn::Conv2dOptions(in, 12, 1));
    torch::nn::Conv2d wideReference(torch::nn::Conv2dOptions(in, 20, 3).padding(widePadding));
    {
      torch::NoGradGuard copying;
      narrowReference->weight.copy_(narrow->weight);
      narrowReference->bias.copy_(narrow->bias);
      wideReference->weight.copy_(wide->weight);
      wideReference->bias.copy_(wide->bias);
    }
    for (torch::nn::Module* module : std::initializer_list<torch::nn::Module*>{
             narrow.get(), wide.get(), narrowReference.get(), wideReference.get()})
      models::storeChannelsLast(*module);
    const torch::Tensor input = models::channelsLast(torch::randn({3, in, side, side + 1}));
    const int64_t wideSide = side + 2 * widePadding - 2;
    const torch::Tensor narrowWeights = torch::randn({3, 12, side, side + 1});
    const torch::Tensor wideWeights = torch::randn({3, 20, wideSide, wideSide + 1});
    const auto pass = [&](torch::nn::Conv2dImpl& a, torch::nn::Conv2dImpl& b,
                          const std::function<std::pair<torch::Tensor, torch::Tensor>(const torch::Tensor&)>& f) {
      const torch::Tensor x = input.detach().clone().requires_grad_(true);
      a.zero_grad();
      b.zero_grad();
      const auto [y, z] = f(x);
      torch::Tensor loss = torch::zeros({});
      if (used != "wide") loss = loss + (y * narrowWeights).sum();
      if (used != "narrow") loss = loss + (z * wideWeights).sum();
      loss.backward();
      return std::vector<torch::Tensor>{y.detach(), z.detach(), x.grad(), a.weight.grad(), a.bias.grad(),
                                        b.weight.grad(), b.bias.grad()};
    };
    const auto got = pass(*narrow, *wide, [&](const torch::Tensor& x) { return models::convolveBoth(*narrow, *wide, x); });
    const auto expected = pass(*narrowReference, *wideReference, [&](const torch::Tensor& x) {
      return std::pair{narrowReference->forward(x), wideReference->forward(x)};
    });
    const char* names[] = {"1x1 output", "3x3 output", "input gradient", "1x1 weight gradient",
                           "1x1 bias gradient", "3x3 weight gradient", "3x3 bias gradient"};
    for (size_t i = 0; i < got.size(); ++i) {
      // An unused output's parameters: LibTorch leaves their gradients undefined; zeros here.
      if ((used == "wide" && (i == 3 || i == 4)) || (used == "narrow" && (i == 5 || i == 6))) {
        QVERIFY2(!got[i].defined() || got[i].abs().max().item<double>() == 0, names[i]);
        continue;
      }
      verifyMatches(got[i], expected[i], names[i]);
      if (QTest::currentTestFailed()) return;
    }
  }

  void convWeightGradientKeepsItsBitsOnAnyThreads() {
    // The lab's weight-gradient loop splits the weight, not the pixels, among threads: every
    // weight's sum runs over the batch in one order whatever the thread count.
    const models::conv_weight::ConvShape shape{4, 13, 13, 64, 40, 3, 1, 1};
    if (!models::conv_weight::fastRouteFor(shape))
      QSKIP("this CPU has no AVX-512: the lab's weight-gradient loop does not run here");
    torch::manual_seed(5);
    models::CpuConv2d conv(64, 40, 3, 1, 1);
    models::storeChannelsLast(*conv);
    const torch::Tensor input = models::channelsLast(torch::randn({4, 64, 13, 13}));
    const auto weightGradient = [&](int threads) {
      const LibTorchThreads inTest(threads);
      conv->zero_grad();
      conv->forward(input).square().sum().backward();
      return conv->weight.grad().clone();
    };
    const torch::Tensor one = weightGradient(1);
    QVERIFY(one.abs().sum().item<double>() > 0);
    for (int threads : {2, 3})
      QVERIFY2(torch::equal(weightGradient(threads), one), qPrintable(QString::number(threads)));
  }

  void cpuConvLeavesOtherConvolutionsToLibTorch() {
    models::CpuConv2d strided(4, 4, 3, /*stride=*/2, 0);
    QVERIFY(!strided->takesOwnRoutes(torch::randn({1, 4, 9, 9})));
    // No stride, no kernel or a negative padding: not a convolution the lab's loop computes.
    QVERIFY(!models::conv_weight::fastRouteFor({1, 9, 9, 16, 4, 3, /*stride=*/0, 0}));
    QVERIFY(!models::conv_weight::fastRouteFor({1, 9, 9, 16, 4, /*kernel=*/0, 1, 0}));
    QVERIFY(!models::conv_weight::fastRouteFor({1, 9, 9, 16, 4, 3, 1, /*padding=*/-1}));
    models::CpuConv2d conv(4, 4, 3, 1, 1);
    QVERIFY(conv->takesOwnRoutes(torch::randn({1, 4, 9, 9})));
    conv->to(torch::kDouble);
    QVERIFY(!conv->takesOwnRoutes(torch::randn({1, 4, 9, 9}, torch::kDouble)));
    QCOMPARE(conv->forward(torch::randn({1, 4, 9, 9}, torch::kDouble)).scalar_type(), torch::kDouble);
  }

  // ---- CpuLinear -----------------------------------------------------------------------------

  void cpuLinearKeepsItsBitsOnAnyThreads_data() {
    QTest::addColumn<int64_t>("rows");
    QTest::addColumn<int64_t>("in");
    QTest::addColumn<int64_t>("out");
    QTest::addColumn<int64_t>("blocksOnThree");  // what productBlocks gives the forward product
    // MLP 1x512's first layer at batch 128: the blocks are columns (features).
    QTest::newRow("784 to 512, batch 128") << int64_t(128) << int64_t(784) << int64_t(512) << int64_t(3);
    // An evaluation batch: more rows than columns, so the blocks are rows.
    QTest::newRow("784 to 512, 1,000 images") << int64_t(1000) << int64_t(784) << int64_t(512) << int64_t(3);
    // The classifier: too small to split.
    QTest::newRow("512 to 10, batch 128") << int64_t(128) << int64_t(512) << int64_t(10) << int64_t(1);
  }

  void cpuLinearKeepsItsBitsOnAnyThreads() {
    QFETCH(int64_t, rows);
    QFETCH(int64_t, in);
    QFETCH(int64_t, out);
    QFETCH(int64_t, blocksOnThree);
    torch::manual_seed(5);
    models::CpuLinear layer(in, out);
    const torch::Tensor x = torch::randn({rows, in});
    const torch::Tensor weights = torch::randn({rows, out});  // the loss: a weighted sum
    QVERIFY(layer->takesOwnRoutes(x));
    const auto pass = [&] {
      layer->zero_grad();
      const torch::Tensor input = x.clone().requires_grad_();
      const torch::Tensor y = layer->forward(input);
      (y * weights).sum().backward();
      return std::vector<torch::Tensor>{y.detach(), input.grad(), layer->weight.grad().clone(),
                                        layer->bias.grad().clone()};
    };
    const ProductThreads restore;
    // The BLAS on one thread, as an MLP's plan has it (its own threads would change the bits).
    train::useThreads(train::planThreads(1, train::Workload::Mlp));
    QCOMPARE(models::productBlocks(rows, in, out), int64_t(1));
    const std::vector<torch::Tensor> one = pass();
    // The bits where the BLAS's kernels keep them (OpenBLAS's AVX-512 ones); else float rounding,
    // and the plans do not split an MLP's products (test_training_parts, threadPlans).
    const bool keep = train::splitProductsKeepBits();
    for (const int threads : {2, 3}) {
      models::setProductThreads(threads);
      QCOMPARE(models::productBlocks(rows, in, out), std::min<int64_t>(threads, blocksOnThree));
      const std::vector<torch::Tensor> split = pass();
      for (size_t i = 0; i < one.size(); ++i)
        QVERIFY2(keep ? torch::equal(split[i], one[i]) : torch::allclose(split[i], one[i], 1e-4, 1e-3),
                 qPrintable(QString("output/input/weight/bias gradient %1, %2 threads").arg(i).arg(threads)));
    }
    // And LibTorch's Linear to float rounding: the same function.
    const torch::Tensor input = x.clone().requires_grad_();
    const torch::Tensor y = torch::nn::functional::linear(input, layer->weight, layer->bias);
    layer->zero_grad();
    (y * weights).sum().backward();
    const std::vector<torch::Tensor> libtorch{y.detach(), input.grad(), layer->weight.grad(), layer->bias.grad()};
    for (size_t i = 0; i < one.size(); ++i)
      QVERIFY2(torch::allclose(one[i], libtorch[i], 1e-4, 1e-3), qPrintable(QString("output/input/weight/bias gradient %1").arg(i)));
    // The weight gradient comes in the weight's own layout: nothing copies it into .grad.
    QVERIFY(one[2].is_contiguous());
  }

  void denseWeightGradientMatchesAProduct_data() {
    QTest::addColumn<int64_t>("outputs");
    QTest::addColumn<int64_t>("images");
    QTest::addColumn<int64_t>("inputs");
    QTest::addColumn<bool>("imagesFirst");  // g handed over as [images, outputs], as autograd does
    // MLP 1x512's first layer at batch 128, and its last batch of an epoch of 5,000 images.
    QTest::newRow("784 to 512, batch 128") << int64_t(512) << int64_t(128) << int64_t(784) << false;
    QTest::newRow("784 to 512, batch 8") << int64_t(512) << int64_t(8) << int64_t(784) << false;
    // Rows and columns that fill no block: 7 = 6 + 1 rows, 37 = 2 vectors + 5 columns.
    QTest::newRow("37 to 7, batch 5") << int64_t(7) << int64_t(5) << int64_t(37) << false;
    QTest::newRow("37 to 7, batch 5, images first") << int64_t(7) << int64_t(5) << int64_t(37) << true;
    QTest::newRow("100 to 11, batch 64, images first") << int64_t(11) << int64_t(64) << int64_t(100) << true;
  }

  void denseWeightGradientMatchesAProduct() {
    QFETCH(int64_t, outputs);
    QFETCH(int64_t, images);
    QFETCH(int64_t, inputs);
    QFETCH(bool, imagesFirst);
    if (!models::dense_weight::fastRoute())
      QSKIP("this CPU has no AVX-512: the lab's weight-gradient loop does not run here");
    torch::manual_seed(9);
    const torch::Tensor g = imagesFirst ? torch::randn({images, outputs}).t() : torch::randn({outputs, images});
    const torch::Tensor x = torch::randn({images, inputs});
    const torch::Tensor expected = torch::mm(g.to(torch::kDouble), x.to(torch::kDouble));
    const ProductThreads restore;
    models::setProductThreads(1);
    const torch::Tensor one = models::weightGradient(g, x);
    QCOMPARE(one.sizes(), expected.sizes());
    const double error = (one.to(torch::kDouble) - expected).abs().max().item<double>();
    QVERIFY2(error < 1e-5 * std::sqrt(double(images)) * 8, qPrintable(QString::number(error)));
    // Split into parts of columns, never of images: the same bits on any threads.
    for (const int threads : {2, 3}) {
      models::setProductThreads(threads);
      QVERIFY2(torch::equal(models::weightGradient(g, x), one), qPrintable(QString::number(threads)));
    }
  }

  void cpuLinearLeavesOtherTensorsToLibTorch() {
    models::CpuLinear layer(6, 4);
    QVERIFY(!layer->takesOwnRoutes(torch::randn({2, 3, 6})));  // not [N, in]
    layer->to(torch::kDouble);
    const torch::Tensor x = torch::randn({2, 6}, torch::kDouble);
    QVERIFY(!layer->takesOwnRoutes(x));
    QVERIFY(torch::equal(layer->forward(x), torch::nn::functional::linear(x, layer->weight, layer->bias)));
  }

  void mlpWeightsKeepTheNamesOfEarlierVersions() {
    // Checkpoints name the weights by the layers' numbers: Linear, (batch norm,) ReLU, ...
    const auto names = [](const ModelSpec& spec) {
      const auto network = models::makeNetwork(spec, {1, 28, 28}, 10);
      QStringList list;
      for (const auto& item : network->named_parameters()) list << QString::fromStdString(item.key());
      return list.join(" ");
    };
    QCOMPARE(names(mlp(3)), QString("hidden.0.weight hidden.0.bias hidden.2.weight hidden.2.bias hidden.4.weight "
                                    "hidden.4.bias classifier.weight classifier.bias"));
    QCOMPARE(names(mlp(2, true)), QString("hidden.0.weight hidden.0.bias hidden.1.weight hidden.1.bias "
                                          "hidden.3.weight hidden.3.bias hidden.4.weight hidden.4.bias "
                                          "classifier.weight classifier.bias"));
  }

  void mlpTrainingStepMatchesAutograd_data() {
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("threads");  // CpuLinear's product threads
    QTest::newRow("MLP 1x512, batch 128") << 1 << 512 << 128 << 1;
    QTest::newRow("MLP 1x512, batch 128, products on 2 threads") << 1 << 512 << 128 << 2;
    QTest::newRow("MLP 3x64, a last batch of 37") << 3 << 64 << 37 << 1;
    QTest::newRow("MLP 2x300, batch of 1") << 2 << 300 << 1 << 1;
  }

  void mlpTrainingStepMatchesAutograd() {
    QFETCH(int, depth);
    QFETCH(int, width);
    QFETCH(int, batch);
    QFETCH(int, threads);
    const ProductThreads restore;
    models::setProductThreads(threads);
    ModelSpec spec = mlp(depth);
    spec.width = width;
    torch::manual_seed(3);
    const auto own = models::makeNetwork(spec, {1, 28, 28}, 10);
    torch::manual_seed(3);
    const auto reference = models::makeNetwork(spec, {1, 28, 28}, 10);
    const torch::Tensor images = torch::randn({batch, 1, 28, 28});
    const torch::Tensor labels = torch::randint(10, {batch}, torch::kInt64);

    const std::optional<models::TrainingStep> step = own->trainingStep(images, labels);
    QVERIFY(step.has_value());
    const torch::Tensor logits = reference->forward(images);
    const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, labels);
    loss.backward();
    QCOMPARE(step->loss.dim(), 0);
    QVERIFY2(torch::allclose(step->loss, loss, 1e-5, 1e-6),
             qPrintable(QString("%1 against %2").arg(step->loss.item<float>()).arg(loss.item<float>())));
    QVERIFY(torch::allclose(step->logits, logits, 1e-5, 1e-6));
    QVERIFY(!step->logits.requires_grad());  // no autograd graph behind it
    const auto ownParameters = own->named_parameters(), referenceParameters = reference->named_parameters();
    QCOMPARE(ownParameters.size(), referenceParameters.size());
    for (const auto& item : referenceParameters) {
      const torch::Tensor mine = ownParameters[item.key()].grad();
      QVERIFY2(mine.defined(), item.key().c_str());
      QCOMPARE(mine.sizes(), item.value().grad().sizes());
      QCOMPARE(mine.strides(), item.value().strides());  // the optimizer's fused update needs them alike
      QVERIFY2(torch::allclose(mine, item.value().grad(), 1e-4, 1e-6), item.key().c_str());
    }
  }

  void mlpTrainingStepLeavesOtherNetworksToAutograd_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::newRow("MLP with batch norm") << mlp(1, true);
    QTest::newRow("MLP with dropout") << mlp(1, false, 0.3);
    QTest::newRow("small AlexNet") << ModelSpec{.architecture = models::Architecture::AlexNet};
  }

  void mlpTrainingStepLeavesOtherNetworksToAutograd() {
    QFETCH(ModelSpec, spec);
    const auto network = models::makeNetwork(spec, {1, 28, 28}, 10);
    QVERIFY(!network->trainingStep(torch::randn({4, 1, 28, 28}), torch::zeros({4}, torch::kInt64)));
    // Nor does a plain MLP take double images or labels of another type.
    const auto plain = models::makeNetwork(mlp(1), {1, 28, 28}, 10);
    QVERIFY(!plain->trainingStep(torch::randn({4, 1, 28, 28}), torch::zeros({4}, torch::kInt32)));
    plain->to(torch::kDouble);
    QVERIFY(!plain->trainingStep(torch::randn({4, 1, 28, 28}, torch::kDouble), torch::zeros({4}, torch::kInt64)));
  }

  void mlpTrainingStepRejectsALabelOutOfRange() {
    const auto network = models::makeNetwork(mlp(1), {1, 28, 28}, 10);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range,
                             network->trainingStep(torch::randn({2, 1, 28, 28}), torch::tensor({3, 10}, torch::kInt64)));
  }

  // ---- dropout -----------------------------------------------------------------------------

  void dropoutIsRandomOnlyInTraining_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::addColumn<bool>("random");
    QTest::newRow("MLP 1x512") << mlp(1) << false;
    QTest::newRow("MLP 1x512 + dropout 0.5") << mlp(1, false, 0.5) << true;
    QTest::newRow("MLP 3x512 + batch norm + dropout 0.5") << mlp(3, true, 0.5) << true;
    QTest::newRow("small AlexNet") << alexNet() << false;
    QTest::newRow("small AlexNet + dropout 0.5") << alexNet(false, 0.5) << true;
    QTest::newRow("small Inception") << inception() << false;
    QTest::newRow("small Inception + dropout 0.5") << inception(true, 0.5) << true;
  }

  void dropoutIsRandomOnlyInTraining() {
    QFETCH(ModelSpec, spec);
    QFETCH(bool, random);
    const ImageShape shape{3, 12, 12};
    const auto network = models::makeNetwork(spec, shape, kClasses);
    const torch::Tensor images = randomImages(shape);
    torch::NoGradGuard noGrad;

    network->train();
    QCOMPARE(!torch::equal(network->forward(images), network->forward(images)), random);
    network->eval();
    QVERIFY(torch::equal(network->forward(images), network->forward(images)));
  }

  // ---- invalid input -----------------------------------------------------------------------

  void invalidInputThrowsInputError_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::addColumn<ImageShape>("shape");
    QTest::addColumn<qint64>("classes");
    QTest::addColumn<QString>("expected");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("depth 0") << mlp(0) << kCifarCrop << qint64(10)
                             << "MLP depth 0 must be at least 1";
    ModelSpec narrow = mlp(1);
    narrow.width = -3;
    QTest::newRow("width -3") << narrow << kCifarCrop << qint64(10)
                              << "MLP width -3 must be at least 1";
    QTest::newRow("dropout 1.2") << mlp(1, false, 1.2) << kCifarCrop << qint64(10)
                                 << "dropout 1.2 is outside [0, 1)";
    QTest::newRow("dropout 1") << alexNet(false, 1.0) << kCifarCrop << qint64(10)
                               << "dropout 1 is outside [0, 1)";
    QTest::newRow("dropout -0.1") << inception(true, -0.1) << kCifarCrop << qint64(10)
                                  << "dropout -0.1 is outside [0, 1)";
    QTest::newRow("dropout NaN") << mlp(1, false, nan) << kCifarCrop << qint64(10)
                                 << "is outside [0, 1)";
    ModelSpec unknown = mlp(1);
    unknown.architecture = static_cast<Architecture>(7);
    QTest::newRow("architecture 7") << unknown << kCifarCrop << qint64(10)
                                    << "architecture 7 is not one of mlp, alexnet, inception";
    ModelSpec kernel;
    kernel.architecture = Architecture::Kernel;
    QTest::newRow("kernel interpolation") << kernel << kCifarCrop << qint64(10)
                                          << "RBF kernel interpolation (bandwidth from the data) is fitted in closed form, not a network";
    ModelSpec features;
    features.architecture = Architecture::RandomFeatures;
    features.features = 0;
    QTest::newRow("no random features") << features << kCifarCrop << qint64(10)
                                        << "random features 0 must be at least 1";
    QTest::newRow("no channels") << mlp(1) << ImageShape{0, 28, 28} << qint64(10)
                                 << "image shape 0x28x28 has an empty dimension";
    QTest::newRow("no classes") << mlp(1) << kCifarCrop << qint64(0)
                                << "number of classes 0 must be at least 1";
    QTest::newRow("AlexNet on 4x4") << alexNet() << ImageShape{3, 4, 4} << qint64(10)
                                    << "image shape 3x4x4 is too small for the small AlexNet";
    QTest::newRow("AlexNet on 28x4") << alexNet() << ImageShape{1, 28, 4} << qint64(10)
                                     << "image shape 1x28x4 is too small for the small AlexNet";
    QTest::newRow("Inception on 6x6") << inception() << ImageShape{3, 6, 6} << qint64(10)
                                      << "image shape 3x6x6 is too small for the small Inception";
    QTest::newRow("Inception on 6x28") << inception(false) << ImageShape{1, 6, 28} << qint64(10)
                                       << "image shape 1x6x28 is too small for the small Inception";
  }

  void invalidInputThrowsInputError() {
    QFETCH(ModelSpec, spec);
    QFETCH(ImageShape, shape);
    QFETCH(qint64, classes);
    QFETCH(QString, expected);
    const std::string message = test::messageOf<InputError>(
        [&] { models::makeNetwork(spec, shape, classes); });
    QVERIFY2(contains(message, expected.toStdString()), message.c_str());
    QVERIFY2(!contains(message, "\n"), "the message is one line");
  }

  void validateAcceptsThePapersNetworks() {
    for (const ModelSpec& spec : {mlp(1), mlp(3), alexNet(), inception(true), inception(false),
                                  mlp(1, true, 0.0), alexNet(true, 0.999)})
      models::validate(spec);  // throws (and so fails the test) on a rejected spec
    QCOMPARE(test::messageOf<InputError>([] { models::validate(mlp(1, false, 0.5)); }),
             std::string("no exception"));
  }

  // ---- names -------------------------------------------------------------------------------

  void describeNamesTheNetworkAsThePaperDoes_data() {
    QTest::addColumn<ModelSpec>("spec");
    QTest::addColumn<QString>("expected");
    QTest::newRow("MLP 1x512") << mlp(1) << "MLP 1x512";
    QTest::newRow("MLP 3x512") << mlp(3) << "MLP 3x512";
    ModelSpec wide = mlp(2);
    wide.width = 1024;
    QTest::newRow("MLP 2x1024") << wide << "MLP 2x1024";
    QTest::newRow("MLP + batch norm + dropout") << mlp(3, true, 0.5)
                                                << "MLP 3x512 + batch norm + dropout 0.5";
    QTest::newRow("small AlexNet") << alexNet() << "small AlexNet";
    QTest::newRow("small AlexNet + batch norm") << alexNet(true) << "small AlexNet + batch norm";
    QTest::newRow("small AlexNet + dropout") << alexNet(false, 0.25)
                                             << "small AlexNet + dropout 0.25";
    QTest::newRow("small Inception") << inception(true) << "small Inception";
    QTest::newRow("small Inception w/o BatchNorm") << inception(false)
                                                   << "small Inception w/o BatchNorm";
    QTest::newRow("small Inception + dropout") << inception(true, 0.1)
                                               << "small Inception + dropout 0.1";
  }

  void describeNamesTheNetworkAsThePaperDoes() {
    QFETCH(ModelSpec, spec);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(models::describe(spec)), expected);
  }

  void architectureNamesRoundTrip() {
    const auto table = models::architectureNames();
    QCOMPARE(table.size(), std::size_t(5));
    for (const auto& entry : table) {
      QCOMPARE(nameOf(table, entry.value), entry.name);
      QCOMPARE(valueNamed(table, entry.name), std::optional<Architecture>(entry.value));
    }
    QCOMPARE(valueNamed(table, "alexnet"), std::optional<Architecture>(Architecture::AlexNet));
    QCOMPARE(nameOf(table, Architecture::Inception), std::string_view("inception"));
    QCOMPARE(nameOf(table, Architecture::Mlp), std::string_view("mlp"));
    QVERIFY(!valueNamed(table, "resnet").has_value());
    QCOMPARE(listNames(table), std::string("mlp, alexnet, inception, kernel, random-features"));
    QVERIFY(models::isClosedForm(Architecture::Kernel) && models::isClosedForm(Architecture::RandomFeatures));
    QVERIFY(!models::isClosedForm(Architecture::Mlp) && !models::isClosedForm(Architecture::Inception));
  }
};

QTEST_APPLESS_MAIN(TestModels)
#include "test_models.moc"

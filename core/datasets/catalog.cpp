#include "core/datasets/catalog.h"

#include <algorithm>

namespace genlab::datasets {

namespace {

// The URLs and checksums the data sets' authors publish: CIFAR-10's binary version from the
// authors' page (its MD5 is listed there); MNIST from the mirror torchvision uses (the original
// site no longer serves it), with the original MD5s; Fashion-MNIST from Zalando's own bucket.
std::vector<KnownDataset> makeCatalog() {
  const std::string mnist = "https://ossci-datasets.s3.amazonaws.com/mnist/";
  const std::string fashion = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
  const std::vector<std::string> idxFiles = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
  return {
      {data::DatasetKind::Cifar10,
       {{"https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
         {Checksum::Algorithm::Md5, "c32a1d4ab5d03f1284b67883e8d87530"}, 170052171}},
       Layout::TarStripTop,
       184380000,
       {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
        "data_batch_5.bin", "test_batch.bin"}},
      {data::DatasetKind::Mnist,
       {{mnist + idxFiles[0], {Checksum::Algorithm::Md5, "f68b3c2dcbeaaa9fbdd348bbdeb94873"}, 9912422},
        {mnist + idxFiles[1], {Checksum::Algorithm::Md5, "d53e105ee54ea40749a09fcbcd1e9432"}, 28881},
        {mnist + idxFiles[2], {Checksum::Algorithm::Md5, "9fb629c4189551a2d022fa330f9573f3"}, 1648877},
        {mnist + idxFiles[3], {Checksum::Algorithm::Md5, "ec29112dd5afa0611ce80d1b7f02629c"}, 4542}},
       Layout::Files,
       11594722,
       idxFiles},
      {data::DatasetKind::FashionMnist,
       {{fashion + idxFiles[0], {Checksum::Algorithm::Md5, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"}, 26421880},
        {fashion + idxFiles[1], {Checksum::Algorithm::Md5, "25c81989df183df01b3e8a0aad5dffbe"}, 29515},
        {fashion + idxFiles[2], {Checksum::Algorithm::Md5, "bef4ecab320f06d8554ea6380940ec79"}, 4422102},
        {fashion + idxFiles[3], {Checksum::Algorithm::Md5, "bb300cfdad3c16e7a12a480ee83cd310"}, 5148}},
       Layout::Files,
       30878645,
       idxFiles},
  };
}

} // namespace

std::span<const KnownDataset> knownDatasets() {
  static const std::vector<KnownDataset> catalog = makeCatalog();
  return catalog;
}

std::optional<KnownDataset> knownDataset(data::DatasetKind kind) {
  const auto all = knownDatasets();
  const auto found = std::find_if(all.begin(), all.end(), [kind](const KnownDataset& d) { return d.kind == kind; });
  if (found == all.end()) return std::nullopt;
  return *found;
}

uint64_t downloadBytes(data::DatasetKind kind) {
  uint64_t bytes = 0;
  if (const auto known = knownDataset(kind))
    for (const auto& file : known->files) bytes += file.bytes;
  return bytes;
}

std::string fileNameOf(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path.substr(path.find_last_of('/') + 1);
}

} // namespace genlab::datasets

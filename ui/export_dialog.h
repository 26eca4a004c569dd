#pragma once
/// ExportDialog: which plot (or all plots as one figure), the file format and the size of an
/// exported figure. Defaults fit a 16:9 slide at twice the pixel density.

#include "ui/figure_renderer.h"

#include <QDialog>
#include <QSize>
#include <QString>

#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace genlab::ui {

struct ExportRequest {
  std::vector<Figure> figures;  ///< one figure, or several drawn as one
  QString format = QStringLiteral("png");  ///< png, jpg, pdf, svg
  QSize size{1280, 720};        ///< pixels (points for pdf and svg)
  double scale = 2.0;           ///< raster formats: pixel density
  FigureText text;              ///< optional title above, caption below
  QString path;
};

class ExportDialog : public QDialog {
  Q_OBJECT

public:
  /// `available`: the figures the session can fill; `current`: the one preselected;
  /// `caption`: what the caption field starts with (the experiment in words; clear it for none).
  ExportDialog(const std::vector<Figure>& available, Figure current, const QString& folder,
               const QString& caption = {}, QWidget* parent = nullptr);

  ExportRequest request() const;
  void setRequest(const ExportRequest& request);

private:
  void updatePath();
  void browse();

  std::vector<Figure> available_;
  QString folder_;
  QComboBox* figure_ = nullptr;
  QComboBox* format_ = nullptr;
  QSpinBox* width_ = nullptr;
  QSpinBox* height_ = nullptr;
  QDoubleSpinBox* scale_ = nullptr;
  QLineEdit* title_ = nullptr;
  QLineEdit* caption_ = nullptr;
  QLineEdit* path_ = nullptr;
};

} // namespace genlab::ui

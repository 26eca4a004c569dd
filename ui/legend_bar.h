#pragma once
/// The window's one legend, above all plots: each run's marker, line and name in its colour,
/// and the accuracy plot's line styles, wrapped to the width there is. The loss and accuracy
/// panels draw no legend of their own, so no legend ever hides a curve.

#include "ui/figure_data.h"
#include "ui/figure_style.h"

#include <QLabel>

namespace genlab::ui {

class LegendBar : public QLabel {
  Q_OBJECT

public:
  explicit LegendBar(QWidget* parent = nullptr);

  /// Shows the runs of `data` (its loss curves); redraws only when names or colours changed.
  void show(const FigureData& data, const FigureStyle& style);
  /// The entries shown, one a run: "● true labels".
  const QStringList& entries() const { return entries_; }

private:
  QStringList entries_;
  QString html_;
};

} // namespace genlab::ui

#include "ui/legend_bar.h"

#include "ui/figure_renderer.h"

#include <algorithm>

namespace genlab::ui {

namespace {

QString entry(const QString& marker, const QString& line, const QColor& colour, const QString& name) {
  return QStringLiteral("<span style=\"white-space:nowrap\"><span style=\"color:%1\">%2&nbsp;%3</span>&nbsp;%4</span>")
      .arg(colour.name(), marker, line, name.toHtmlEscaped());
}

} // namespace

LegendBar::LegendBar(QWidget* parent) : QLabel(parent) {
  setWordWrap(true);
  setTextFormat(Qt::RichText);
  setContentsMargins(8, 2, 8, 2);
  setVisible(false);
}

void LegendBar::show(const FigureData& data, const FigureStyle& style) {
  QStringList entries, parts;
  for (const Curve& curve : data.loss) {
    entries << markerOf(curve.run) + QLatin1Char(' ') + curve.name;
    // The line as the plot draws it: solid, or the run's pattern past the palette's first round.
    const QString line = lineStyleOf(curve.run) == Qt::SolidLine ? QStringLiteral("\u2501\u2501")
                                                                  : QStringLiteral("\u2505\u2505");
    parts << entry(markerOf(curve.run), line, runColour(curve.run), curve.name);
  }
  const auto key = [&](const QString& solid, const QString& dashed, const QString& figure) {
    parts << QStringLiteral("<span style=\"white-space:nowrap; color:#5a5a5a\">\u2501\u2501&nbsp;%1&nbsp;&nbsp;\u2505\u2505&nbsp;%2&nbsp;(%3)</span>")
                 .arg(solid, dashed, figure);
  };
  if (!data.trainAccuracy.empty()) key(QStringLiteral("training"), QStringLiteral("test"), QStringLiteral("accuracy"));
  const auto figures = figuresFor(data);
  if (std::find(figures.begin(), figures.end(), Figure::Memorization) != figures.end())
    key(QStringLiteral("clean"), QStringLiteral("corrupted"), QStringLiteral("memorization"));
  const QString html = parts.join(QStringLiteral("&nbsp;&nbsp;&nbsp;&nbsp; "));
  if (html != html_ || entries != entries_) {
    entries_ = entries;
    html_ = html;
    setText(html);
  }
  QFont font = this->font();
  font.setPointSizeF(style.fontPointSize * 1.1);
  if (font != this->font()) setFont(font);
  setVisible(!entries_.isEmpty());
}

} // namespace genlab::ui

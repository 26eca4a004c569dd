// Export of the figures declared in figure_renderer.h: one figure or a grid of figures, painted
// through QCustomPlot::toPainter onto an image, a PDF page or an SVG document.

#include "ui/figure_renderer.h"

#include "core/errors.h"
#include "ui/qcustomplot_include.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>

#include <cmath>

namespace genlab::ui {

namespace {

enum class Output { Png, Jpg, Pdf, Svg };

Output outputFor(const QString& format) {
  const QString f = format.toLower();
  if (f == QLatin1String("png")) return Output::Png;
  if (f == QLatin1String("jpg") || f == QLatin1String("jpeg")) return Output::Jpg;
  if (f == QLatin1String("pdf")) return Output::Pdf;
  if (f == QLatin1String("svg")) return Output::Svg;
  throw InputError("unknown figure format '" + format.toStdString() + "' (" +
                   figureFormats().join(QStringLiteral(", ")).toStdString() + ")");
}

[[noreturn]] void cannotWrite(const QString& path, const QString& why) {
  throw InputError("cannot write figure '" + path.toStdString() + "'" +
                   (why.isEmpty() ? std::string() : ": " + why.toStdString()));
}

void checkSize(QSize size, double scale) {
  if (size.width() < 1 || size.height() < 1 || !(scale > 0) || scale > 16)
    throw InputError("figure size " + std::to_string(size.width()) + "x" +
                     std::to_string(size.height()) + " at scale " + std::to_string(scale) +
                     " is not drawable (sizes from 1 pixel, scale in (0, 16])");
  // What a raster image can hold: QPainter draws at most 32767 pixels a side, and 2 GiB of
  // 32-bit pixels is QImage's limit.
  const double width = size.width() * scale, height = size.height() * scale;
  constexpr double kMaxSide = 32767, kMaxPixels = double(1U << 29);
  if (width > kMaxSide || height > kMaxSide || width * height > kMaxPixels)
    throw InputError("figure size " + std::to_string(size.width()) + "x" +
                     std::to_string(size.height()) + " at scale " + QString::number(scale).toStdString() +
                     " makes an image of " + std::to_string(std::llround(width)) + "x" +
                     std::to_string(std::llround(height)) +
                     " pixels, more than an image can hold (32767 a side, 512 megapixels)");
}

/// Text is laid out (QCustomPlot measures it with the screen's font metrics) and drawn at the
/// screen's logical resolution, so a figure's proportions are the same in every format.
int screenDpi() { return QImage(1, 1, QImage::Format_RGB32).logicalDpiY(); }

/// Paints `text` (a line above, a line below) and returns the room left between them.
QRect paintText(QCPPainter& painter, QSize size, const FigureStyle& style, const FigureText& text) {
  QRect room(QPoint(0, 0), size);
  const auto band = [&](const QString& line, double points, bool bold, bool top) {
    if (line.isEmpty()) return;
    QFont font = QApplication::font();
    font.setPointSizeF(points);
    font.setBold(bold);
    const int height = qRound(QFontMetricsF(font).height() * 1.6);
    const QRect where = top ? QRect(room.left(), room.top(), room.width(), height)
                            : QRect(room.left(), room.bottom() - height + 1, room.width(), height);
    painter.save();
    painter.setFont(font);
    painter.setPen(Qt::black);
    painter.drawText(where, Qt::AlignCenter | Qt::TextSingleLine,
                     QFontMetrics(font).elidedText(line, Qt::ElideRight, where.width() - 16));
    painter.restore();
    if (top) room.setTop(room.top() + height);
    else room.setBottom(room.bottom() - height);
  };
  band(text.title, style.fontPointSize * 1.5, true, true);
  band(text.caption, style.fontPointSize, false, false);
  return room;
}

/// Paints `figures` as a grid filling `size` logical pixels of `painter`, cell by cell, with
/// `text`'s title above and caption below.
void paintGrid(QCPPainter& painter, const FigureData& data, const std::vector<Figure>& figures,
               QSize whole, const FigureStyle& style, const FigureText& text) {
  const QRect room = paintText(painter, whole, style, text);
  painter.save();
  painter.translate(room.topLeft());
  const QSize size = room.size();
  const int count = static_cast<int>(figures.size());
  const int columns = count == 1 ? 1 : 2;
  const int rows = (count + columns - 1) / columns;
  for (int i = 0; i < count; ++i) {
    const int column = i % columns, row = i / columns;
    const QPoint topLeft(size.width() * column / columns, size.height() * row / rows);
    const QPoint bottomRight(size.width() * (column + 1) / columns,
                             size.height() * (row + 1) / rows);
    const QSize cell(bottomRight.x() - topLeft.x(), bottomRight.y() - topLeft.y());
    QCustomPlot plot;
    plot.resize(cell);
    const Figure figure = figures[static_cast<size_t>(i)];
    if ((figure == Figure::Loss && style.logScaleLoss) || logarithmicByDefault(figure)) setLogScale(plot, true);
    drawFigure(plot, figure, data, style);
    painter.save();
    painter.translate(topLeft);
    plot.toPainter(&painter, cell.width(), cell.height());
    painter.restore();
  }
  painter.restore();
}

QImage renderGrid(const FigureData& data, const std::vector<Figure>& figures, QSize size,
                  double scale, const FigureStyle& style, const FigureText& text) {
  QImage image(qRound(size.width() * scale), qRound(size.height() * scale), QImage::Format_RGB32);
  image.fill(Qt::white);
  QCPPainter painter(&image);
  painter.setMode(QCPPainter::pmNoCaching);
  // Scaled up, hairlines must grow with everything else (QCustomPlot's toPixmap does the same).
  if (scale > 1.0) painter.setMode(QCPPainter::pmNonCosmetic);
  painter.scale(scale, scale);
  paintGrid(painter, data, figures, size, style, text);
  painter.end();
  return image;
}

/// QSvgGenerator states the document's size in millimetres at its resolution, which SVG
/// readers turn back into pixels at 90 or 96 dpi as they please; state it in pixels (SVG user
/// units), the figure's own size, so that every reader opens it at `size`.
QByteArray withPixelSize(QByteArray svg, QSize size) {
  static const QRegularExpression mmSize(QStringLiteral(R"(<svg width="[^"]*" height="[^"]*")"));
  const QString head = QString::fromUtf8(svg.left(512));
  const auto match = mmSize.match(head);
  if (!match.hasMatch()) return svg;
  const QByteArray pixels = QStringLiteral(R"(<svg width="%1" height="%2")")
                                .arg(size.width())
                                .arg(size.height())
                                .toUtf8();
  return svg.replace(match.capturedStart(), match.capturedLength(), pixels);
}

/// Paints `figures` on a vector device; false when the device cannot be painted on.
bool paintVector(QPaintDevice& device, const FigureData& data, const std::vector<Figure>& figures,
                 QSize size, const FigureStyle& style, const FigureText& text) {
  QCPPainter painter;
  if (!painter.begin(&device)) return false;
  painter.setMode(QCPPainter::pmVectorized);
  painter.setMode(QCPPainter::pmNoCaching);
  // Draw in `size` logical pixels, as on screen, stretched onto the page.
  painter.setWindow(QRect(QPoint(0, 0), size));
  paintGrid(painter, data, figures, size, style, text);
  return painter.end();
}

/// Runs `write` on a temporary file beside `path` and renames it over `path` only when all of
/// it was written: an export that fails or is interrupted leaves an earlier file whole.
template <class Write>
bool writeAtomically(const QString& path, Write&& write) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return false;
  if (!write(static_cast<QIODevice&>(file))) {
    file.cancelWriting();
    return false;
  }
  return file.commit();
}

bool writePdf(QIODevice& out, const FigureData& data, const std::vector<Figure>& figures,
              QSize size, const FigureStyle& style, const FigureText& text, const QString& title) {
  QPdfWriter pdf(&out);
  // The page is `size` points.
  pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point, QString(), QPageSize::ExactMatch));
  pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
  pdf.setResolution(screenDpi());
  pdf.setTitle(title);
  pdf.setCreator(QStringLiteral("GenLab"));
  return paintVector(pdf, data, figures, size, style, text);
}

bool writeSvg(QIODevice& out, const FigureData& data, const std::vector<Figure>& figures,
              QSize size, const FigureStyle& style, const FigureText& text, const QString& title) {
  QBuffer buffer;
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setResolution(screenDpi());
  svg.setTitle(title);
  if (!paintVector(svg, data, figures, size, style, text)) return false;
  const QByteArray document = withPixelSize(buffer.data(), size);
  return out.write(document) == document.size();
}

} // namespace

QStringList figureFormats() {
  return {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("pdf"),
          QStringLiteral("svg")};
}

void exportFigures(const FigureData& data, const std::vector<Figure>& figures,
                   const QString& path, const QString& format, QSize size, double scale,
                   const FigureStyle& style, const FigureText& text) {
  const Output output = outputFor(format);
  if (figures.empty()) throw InputError("no figures to write to '" + path.toStdString() + "'");
  // The scale magnifies raster images only.
  checkSize(size, output == Output::Png || output == Output::Jpg ? scale : 1.0);
  const QDir folder = QFileInfo(path).absoluteDir();
  if (!folder.exists()) cannotWrite(path, QStringLiteral("no folder '%1'").arg(folder.path()));
  const QString title = !text.title.isEmpty() ? text.title
                        : figureName(figures.front()) + (figures.size() > 1 ? QStringLiteral(" and more") : QString());
  bool written = false;
  switch (output) {
  case Output::Png:
    written = writeAtomically(path, [&](QIODevice& out) {
      return renderGrid(data, figures, size, scale, style, text).save(&out, "PNG");
    });
    break;
  case Output::Jpg:
    written = writeAtomically(path, [&](QIODevice& out) {
      return renderGrid(data, figures, size, scale, style, text).save(&out, "JPG", 92);
    });
    break;
  case Output::Pdf:
    written = writeAtomically(path, [&](QIODevice& out) {
      return writePdf(out, data, figures, size, style, text, title);
    });
    break;
  case Output::Svg:
    written = writeAtomically(path, [&](QIODevice& out) {
      return writeSvg(out, data, figures, size, style, text, title);
    });
    break;
  }
  if (!written) cannotWrite(path, {});
}

void exportFigure(const FigureData& data, Figure figure, const QString& path,
                  const QString& format, QSize size, double scale, const FigureStyle& style,
                  const FigureText& text) {
  exportFigures(data, {figure}, path, format, size, scale, style, text);
}

QImage renderFigure(const FigureData& data, Figure figure, QSize size, double scale,
                    const FigureStyle& style, const FigureText& text) {
  checkSize(size, scale);
  return renderGrid(data, {figure}, size, scale, style, text);
}

} // namespace genlab::ui

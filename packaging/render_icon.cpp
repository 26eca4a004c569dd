// genlab_render_icon: renders the lab's SVG icon to a square PNG with Qt's own SVG renderer,
// so the committed PNGs need no tool beyond the Qt packages the build already uses.
//   genlab_render_icon IN.svg SIZE OUT.png      (packaging/render-icons.sh runs it)

#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QString>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char** argv) {
  // No window is shown; the offscreen platform lets this run without a display.
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QGuiApplication application(argc, argv);
  if (argc != 4) {
    std::fprintf(stderr, "usage: genlab_render_icon IN.svg SIZE OUT.png\n");
    return 2;
  }
  bool sizeOk = false;
  const int size = QString::fromLocal8Bit(argv[2]).toInt(&sizeOk);
  if (!sizeOk || size < 16 || size > 4096) {
    std::fprintf(stderr, "genlab_render_icon: size '%s' is not a number of pixels in 16..4096\n", argv[2]);
    return 2;
  }
  QSvgRenderer renderer(QString::fromLocal8Bit(argv[1]));
  if (!renderer.isValid()) {
    std::fprintf(stderr, "genlab_render_icon: '%s' is not a readable SVG file\n", argv[1]);
    return 1;
  }
  QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  renderer.render(&painter);
  painter.end();
  if (!image.save(QString::fromLocal8Bit(argv[3]), "PNG")) {
    std::fprintf(stderr, "genlab_render_icon: cannot write '%s'\n", argv[3]);
    return 1;
  }
  return 0;
}

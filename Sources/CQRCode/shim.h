// libqrencode makes the QR symbol and libpng writes it (civic receipt --qr); both from Debian.
#include <qrencode.h>
#include <png.h>

/* Asks a window to close the way a window manager's close button does: a WM_DELETE_WINDOW
 * client message to every top-level window of the process whose pid is given. Used by the
 * real-app e2e (Xvfb has no window manager) to check that closing the window keeps typed text.
 * Build: cc -o wm-close wm-close.c -lX11. Exit status: 0 when at least one window was asked. */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>

static long window_pid(Display *d, Window w, Atom net_wm_pid) {
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  long pid = -1;
  if (XGetWindowProperty(d, w, net_wm_pid, 0, 1, False, XA_CARDINAL, &type, &format, &n, &after, &data) == Success && data) {
    if (n == 1 && format == 32) pid = (long)*(unsigned long *)data;
    XFree(data);
  }
  return pid;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: wm-close PID\n");
    return 2;
  }
  long want = strtol(argv[1], NULL, 10);
  Display *d = XOpenDisplay(NULL);
  if (!d) {
    fprintf(stderr, "wm-close: cannot open display\n");
    return 2;
  }
  Atom net_wm_pid = XInternAtom(d, "_NET_WM_PID", False);
  Atom protocols = XInternAtom(d, "WM_PROTOCOLS", False);
  Atom del = XInternAtom(d, "WM_DELETE_WINDOW", False);
  Window root = DefaultRootWindow(d), r, p, *kids = NULL;
  unsigned int nkids = 0;
  int asked = 0;
  if (XQueryTree(d, root, &r, &p, &kids, &nkids)) {
    for (unsigned int i = 0; i < nkids; i++) {
      long pid = window_pid(d, kids[i], net_wm_pid);
      if (getenv("WM_CLOSE_DEBUG")) fprintf(stderr, "window 0x%lx pid %ld\n", kids[i], pid);
      if (pid != want) continue;
      Atom *list = NULL;
      int count = 0, supports = 0;
      if (XGetWMProtocols(d, kids[i], &list, &count)) {
        for (int k = 0; k < count; k++) supports |= list[k] == del;
        XFree(list);
      }
      if (!supports) continue;
      XEvent ev = {0};
      ev.xclient.type = ClientMessage;
      ev.xclient.window = kids[i];
      ev.xclient.message_type = protocols;
      ev.xclient.format = 32;
      ev.xclient.data.l[0] = (long)del;
      ev.xclient.data.l[1] = CurrentTime;
      XSendEvent(d, kids[i], False, NoEventMask, &ev);
      asked++;
    }
    if (kids) XFree(kids);
  }
  XFlush(d);
  XCloseDisplay(d);
  printf("asked %d window(s) to close\n", asked);
  return asked > 0 ? 0 : 1;
}

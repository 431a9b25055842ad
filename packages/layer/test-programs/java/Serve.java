import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

// Serves one HTTP request on port args[0] with a blocking ServerSocket:
// prints the bound port (getsockname), answers with the client's address.
public class Serve {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]))) {
            System.out.println("listening " + server.getLocalPort());
            System.out.flush();
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                in.read(buf);
                String who = s.getInetAddress().getHostAddress() + ":" + s.getPort();
                String body = "remote=" + who + " local=" + s.getLocalPort() + "\n";
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                System.out.println("served " + who);
            }
        }
    }
}

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

// GET http://<args[0]>/ with HttpURLConnection, the JDK's plain client.
public class HttpGet {
    public static void main(String[] args) throws Exception {
        HttpURLConnection conn = (HttpURLConnection) new URL("http://" + args[0] + "/").openConnection();
        conn.setConnectTimeout(10000);
        conn.setReadTimeout(10000);
        try (InputStream in = conn.getInputStream()) {
            System.out.print("status: " + conn.getResponseCode() + "\nbody: " + new String(in.readAllBytes()));
        }
    }
}

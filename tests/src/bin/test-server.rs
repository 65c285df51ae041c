//! A team server process for the kill -9 test: serves `<dir>/server.sqlite` on a free
//! loopback port and prints its URL on the first line of stdout, then runs until killed.

use filrouge_server::TeamServer;

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: test-server <data dir>"))?;
    let server = TeamServer::open_sqlite(&std::path::Path::new(&dir).join("server.sqlite"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        println!("http://{}", listener.local_addr()?);
        filrouge_server::serve(listener, server, std::future::pending()).await?;
        anyhow::Ok(())
    })
}

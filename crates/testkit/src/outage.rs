//! A TCP proxy between Bro and its database that a test can cut and restore, to play a
//! database outage for real.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct OutageProxy {
    pub addr: SocketAddr,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl OutageProxy {
    pub async fn start(target: SocketAddr) -> OutageProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                if let Ok(mut l) = links2.lock() {
                    l.push(task);
                }
            }
        });
        OutageProxy { addr, up, links }
    }

    /// The database goes away: open connections break, new ones are closed at once. Returns
    /// once every open connection is gone.
    pub async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        let open: Vec<JoinHandle<()>> = self
            .links
            .lock()
            .map(|mut l| l.drain(..).collect())
            .unwrap_or_default();
        for link in &open {
            link.abort();
        }
        for link in open {
            let _ = link.await;
        }
    }

    /// The database is back.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

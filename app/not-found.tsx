import { NotFoundContent } from "@/components/pages/refusals";

export default function NotFound() {
  return (
    <main id="main" className="px-4">
      <NotFoundContent />
    </main>
  );
}
